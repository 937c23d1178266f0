@NullMarked
package dev.licensor.server.customer;

import org.jspecify.annotations.NullMarked;
