@NullMarked
package dev.licensor.server;

import org.jspecify.annotations.NullMarked;
