/** Admin panel pages of the trust layer: blocked addresses and anomalies. */
@NullMarked
package dev.licensor.server.abuse.admin;

import org.jspecify.annotations.NullMarked;
