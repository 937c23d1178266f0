/** What every panel page shares: the controller marker, model attributes, flash messages, CSV. */
@NullMarked
package dev.licensor.server.web.admin;

import org.jspecify.annotations.NullMarked;
