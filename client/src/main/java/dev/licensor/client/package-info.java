/**
 * The Licensor client SDK: {@link dev.licensor.client.LicensorClient} for the client API, {@link
 * dev.licensor.client.LicenseSession} for sessions that heartbeat on their own, {@link
 * dev.licensor.client.OfflineVerifier} for running without the server, and {@link
 * dev.licensor.client.Fingerprint} for the hardware fingerprint. No dependencies beyond the JDK
 * and {@code licensor-protocol}.
 */
@NullMarked
package dev.licensor.client;

import org.jspecify.annotations.NullMarked;
