package dev.licensor.server.license;

/** When a license's duration starts counting. */
public enum ExpirationBasis {
    FROM_CREATION,
    FROM_FIRST_ACTIVATION
}
