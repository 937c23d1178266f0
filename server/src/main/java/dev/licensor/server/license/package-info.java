@NullMarked
package dev.licensor.server.license;

import org.jspecify.annotations.NullMarked;
