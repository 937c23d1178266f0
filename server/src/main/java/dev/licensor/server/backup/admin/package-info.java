@NullMarked
package dev.licensor.server.backup.admin;

import org.jspecify.annotations.NullMarked;
