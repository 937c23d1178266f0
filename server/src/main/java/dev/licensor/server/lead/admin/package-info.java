/** Panel pages for leads: the list with filters and CSV export, and one institution's page. */
@NullMarked
package dev.licensor.server.lead.admin;

import org.jspecify.annotations.NullMarked;
