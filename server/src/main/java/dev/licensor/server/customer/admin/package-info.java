/** Panel pages for customers: search, create, edit, delete, their licenses, CSV export and import. */
@NullMarked
package dev.licensor.server.customer.admin;

import org.jspecify.annotations.NullMarked;
