/** Panel pages for licenses and their devices: list, filters, create/batch, edit, actions, CSV. */
@NullMarked
package dev.licensor.server.license.admin;

import org.jspecify.annotations.NullMarked;
