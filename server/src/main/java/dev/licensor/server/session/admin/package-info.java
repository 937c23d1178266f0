/** Panel pages for live sessions (force-terminate, ADMIN only) and the session history. */
@NullMarked
package dev.licensor.server.session.admin;

import org.jspecify.annotations.NullMarked;
