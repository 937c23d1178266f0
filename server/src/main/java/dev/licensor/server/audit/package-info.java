@NullMarked
package dev.licensor.server.audit;

import org.jspecify.annotations.NullMarked;
