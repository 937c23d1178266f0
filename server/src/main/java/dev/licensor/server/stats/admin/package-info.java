/** The panel's dashboard: live figures (htmx polling) and charts. */
@NullMarked
package dev.licensor.server.stats.admin;

import org.jspecify.annotations.NullMarked;
