/** The usage endpoints: the client call and the administrators' quota settings. */
@NullMarked
package dev.licensor.server.usage.api;

import org.jspecify.annotations.NullMarked;
