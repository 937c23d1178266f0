@NullMarked
package dev.licensor.server.abuse.api;

import org.jspecify.annotations.NullMarked;
