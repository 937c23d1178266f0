@NullMarked
package dev.licensor.server.stats;

import org.jspecify.annotations.NullMarked;
