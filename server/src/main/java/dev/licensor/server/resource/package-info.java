/**
 * The resource pool: domains, IPv4 addresses and phone numbers allocated to licenses, by license
 * type when a license is created or by hand, with their allocation history and a quarantine
 * between two customers.
 */
@NullMarked
package dev.licensor.server.resource;

import org.jspecify.annotations.NullMarked;
