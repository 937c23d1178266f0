@NullMarked
package dev.licensor.server.audit.api;

import org.jspecify.annotations.NullMarked;
