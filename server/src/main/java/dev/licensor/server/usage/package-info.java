/** Usage metering: per-license quotas per metric and period, counted atomically. */
@NullMarked
package dev.licensor.server.usage;

import org.jspecify.annotations.NullMarked;
