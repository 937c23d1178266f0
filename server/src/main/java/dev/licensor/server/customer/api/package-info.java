@NullMarked
package dev.licensor.server.customer.api;

import org.jspecify.annotations.NullMarked;
