/** Panel actions on a license's usage quotas, shown on the license detail page. */
@NullMarked
package dev.licensor.server.usage.admin;

import org.jspecify.annotations.NullMarked;
