package dev.licensor.server.lead;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lead: an institution that may become a customer, with its tags (sorted). {@code customerId}
 * names the customer it became, if any.
 */
public record Institution(
        long id,
        String name,
        @Nullable String website,
        @Nullable String city,
        @Nullable String country,
        LeadStatus status,
        @Nullable Long customerId,
        List<String> tags,
        Instant createdAt,
        Instant updatedAt) {
    Institution withTags(List<String> newTags) {
        return new Institution(
                id, name, website, city, country, status, customerId, List.copyOf(newTags), createdAt, updatedAt);
    }
}
