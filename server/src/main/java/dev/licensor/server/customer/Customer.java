package dev.licensor.server.customer;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Someone who owns licenses. {@code test} marks customers made for trying things out. */
public record Customer(
        long id,
        String name,
        @Nullable String email,
        @Nullable String company,
        @Nullable String phone,
        @Nullable String notes,
        boolean test,
        Instant createdAt,
        Instant updatedAt) {}
