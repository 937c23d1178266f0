/** Settings changed from the panel: feature toggles stored in the database. */
@NullMarked
package dev.licensor.server.settings;

import org.jspecify.annotations.NullMarked;
