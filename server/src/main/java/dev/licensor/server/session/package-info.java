@NullMarked
package dev.licensor.server.session;

import org.jspecify.annotations.NullMarked;
