package dev.licensor.server.license;

import java.util.List;

/**
 * Published inside the transaction that created licenses (one, or a batch) of a type that asks
 * for resources. The resource pool allocates to them in the same transaction, and a refusal (the
 * pool is short) rolls the whole creation back. Never published for other licenses, so creating
 * them costs nothing more.
 */
public record LicensesIssued(List<Issued> licenses, int domains, int ipv4Addresses, int phoneNumbers) {
    public LicensesIssued {
        licenses = List.copyOf(licenses);
    }

    /** A license just created. */
    public record Issued(long id, String licenseKey) {}

    static LicensesIssued of(List<Issued> licenses, LicenseType type) {
        return new LicensesIssued(licenses, type.domains(), type.ipv4Addresses(), type.phoneNumbers());
    }
}
