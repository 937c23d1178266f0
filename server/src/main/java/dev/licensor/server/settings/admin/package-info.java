/** The panel's settings page. */
@NullMarked
package dev.licensor.server.settings.admin;

import org.jspecify.annotations.NullMarked;
