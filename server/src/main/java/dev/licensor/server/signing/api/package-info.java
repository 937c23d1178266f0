@NullMarked
package dev.licensor.server.signing.api;

import org.jspecify.annotations.NullMarked;
