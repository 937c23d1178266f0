/** Panel viewers of the audit log and the validation log. */
@NullMarked
package dev.licensor.server.audit.admin;

import org.jspecify.annotations.NullMarked;
