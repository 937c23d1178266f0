/**
 * Webhooks (SPEC §7): per-product endpoints subscribed to events, an outbox of deliveries written in
 * the transaction of the change that caused each event, and the background job that sends them,
 * signed with the server's response-signing keys and retried with exponential backoff.
 */
@NullMarked
package dev.licensor.server.webhook;

import org.jspecify.annotations.NullMarked;
