/**
 * Leads (SPEC §1): a small CRM beside licensing. Institutions that may become customers, their
 * contact persons, notes that keep every version, tags and a timeline of activities.
 */
@NullMarked
package dev.licensor.server.lead;

import org.jspecify.annotations.NullMarked;
