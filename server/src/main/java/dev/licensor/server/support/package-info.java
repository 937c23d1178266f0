@NullMarked
package dev.licensor.server.support;

import org.jspecify.annotations.NullMarked;
