/**
 * The server's signatures: Ed25519 signing keys (created on first start, rotatable, published as
 * a JWKS at {@code /api/keys}), signatures on every client-API response, offline tokens, and the
 * verification of HMAC-signed client requests.
 */
@NullMarked
package dev.licensor.server.signing;

import org.jspecify.annotations.NullMarked;
