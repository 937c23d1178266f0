@NullMarked
package dev.licensor.server.resource.api;

import org.jspecify.annotations.NullMarked;
