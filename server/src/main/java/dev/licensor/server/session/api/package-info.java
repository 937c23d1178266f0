@NullMarked
package dev.licensor.server.session.api;

import org.jspecify.annotations.NullMarked;
