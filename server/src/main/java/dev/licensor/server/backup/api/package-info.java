@NullMarked
package dev.licensor.server.backup.api;

import org.jspecify.annotations.NullMarked;
