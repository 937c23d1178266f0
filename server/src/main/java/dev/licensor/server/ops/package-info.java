/** Operations: configuration from the environment, start-up checks, embedded-mode warnings. */
@NullMarked
package dev.licensor.server.ops;

import org.jspecify.annotations.NullMarked;
