/**
 * Abuse protection of the client API: token-bucket rate limits (Redis-backed when configured,
 * local otherwise, falling back when Redis is gone), blocked addresses, and the anomaly rules that
 * flag suspicious licenses and block key-enumerating addresses.
 */
@NullMarked
package dev.licensor.server.abuse;

import org.jspecify.annotations.NullMarked;
