@NullMarked
package dev.licensor.server.resource.admin;

import org.jspecify.annotations.NullMarked;
