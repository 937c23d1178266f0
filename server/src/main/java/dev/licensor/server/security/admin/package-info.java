/** Panel pages for logging in, one's own account (password, TOTP) and the users (ADMIN). */
@NullMarked
package dev.licensor.server.security.admin;

import org.jspecify.annotations.NullMarked;
