package dev.licensor.server.license;

import java.util.List;

/**
 * Published inside the transaction that issued licenses (one, or a whole batch), so features that
 * report on new licenses (webhooks) record it in the same transaction, and not at all if it rolls
 * back. Licenses of a batch carry no id yet ({@code 0}): their key identifies them.
 */
public record LicensesCreated(long productId, List<License> licenses) {
    public LicensesCreated {
        licenses = List.copyOf(licenses);
    }
}
