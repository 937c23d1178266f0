@NullMarked
package dev.licensor.server.lead.api;

import org.jspecify.annotations.NullMarked;
