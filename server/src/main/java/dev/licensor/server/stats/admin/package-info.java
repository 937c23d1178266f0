/** The panel's dashboard (live figures, htmx polling, and charts) and the usage statistics. */
@NullMarked
package dev.licensor.server.stats.admin;

import org.jspecify.annotations.NullMarked;
