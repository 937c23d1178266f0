@NullMarked
package dev.licensor.server.license.api;

import org.jspecify.annotations.NullMarked;
