package dev.licensor.server.resource;

/**
 * Where a resource stands: free to allocate, allocated to one license, or resting after a release
 * until {@code quarantined_until} (so a domain or phone number does not go to the next customer at
 * once).
 */
public enum ResourceStatus {
    AVAILABLE,
    ALLOCATED,
    QUARANTINED
}
