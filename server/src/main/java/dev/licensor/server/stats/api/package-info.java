@NullMarked
package dev.licensor.server.stats.api;

import org.jspecify.annotations.NullMarked;
