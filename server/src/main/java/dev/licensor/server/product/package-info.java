@NullMarked
package dev.licensor.server.product;

import org.jspecify.annotations.NullMarked;
