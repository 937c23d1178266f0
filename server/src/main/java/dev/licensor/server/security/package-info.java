@NullMarked
package dev.licensor.server.security;

import org.jspecify.annotations.NullMarked;
