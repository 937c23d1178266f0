package dev.licensor.server.license.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Shapes of the admin JSON bodies, for the OpenAPI document only: the endpoints read their bodies
 * field by field ({@code JsonFields}), so that absent and {@code null} mean different things.
 */
final class ApiDocs {
    private ApiDocs() {}

    private static final String EXPIRES_AT_DOC = "An ISO 8601 instant, or a date standing for the last second of that"
            + " day in UTC (2027-12-31 is 2027-12-31T23:59:59Z)";
    private static final String VALID_FROM_DOC = "An ISO 8601 instant, or a date standing for the start of that day in"
            + " UTC (2027-01-01 is 2027-01-01T00:00:00Z)";

    static final String LICENSE_CREATE =
            """
            {"product_id": 1, "customer_id": 7, "license_type_id": 2, "device_limit": 3,
             "concurrent_sessions_limit": 1, "features": ["export"], "notes": "order 4711"}""";

    static final String LICENSE_BATCH = """
            {"product_id": 1, "license_type_id": 2, "count": 100}""";

    static final String LICENSE_PATCH =
            """
            {"device_limit": 5, "concurrent_sessions_limit": 2, "expires_at": "2027-06-30T00:00:00Z",
             "notes": "upgraded"}""";

    static final String LICENSE_TYPE =
            """
            {"product_id": 1, "name": "Annual, 3 devices", "duration_days": 365,
             "expiration_basis": "FROM_FIRST_ACTIVATION", "device_limit": 3, "concurrent_sessions_limit": 1,
             "features": ["export"], "single_use": false, "domains": 2, "ipv4_addresses": 1, "phone_numbers": 1}""";

    @Schema(name = "LicenseCreateRequest", description = "Unknown fields are rejected with 400")
    record LicenseCreate(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long productId,
            @Nullable Long customerId,
            @Schema(description = "Preset for the fields not given") @Nullable Long licenseTypeId,
            @Schema(minimum = "1", maximum = "100000", defaultValue = "1") @Nullable Integer deviceLimit,
            @Schema(description = "At most device_limit; defaults to device_limit") @Nullable
                    Integer concurrentSessionsLimit,
            @Schema(description = "null = perpetual; presets 1, 5, 30, 180, 365") @Nullable Integer durationDays,
            @Schema(allowableValues = {"FROM_CREATION", "FROM_FIRST_ACTIVATION"}) @Nullable String expirationBasis,
            @Schema(description = "null = perpetual. " + EXPIRES_AT_DOC, example = "2027-12-31") @Nullable
                    String expiresAt,
            @Schema(description = VALID_FROM_DOC) @Nullable String validFrom,
            @Nullable List<String> features,
            @Nullable Boolean singleUse,
            @Nullable String notes,
            @Schema(description = "Only to import an existing (e.g. legacy) key") @Nullable String licenseKey) {}

    @Schema(
            name = "LicenseBatchRequest",
            description = "The fields of a single license (without license_key) plus count")
    record LicenseBatch(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long productId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", maximum = "10000") int count,
            @Nullable Long customerId,
            @Nullable Long licenseTypeId,
            @Nullable Integer deviceLimit,
            @Nullable Integer concurrentSessionsLimit,
            @Nullable Integer durationDays,
            @Nullable String expirationBasis,
            @Schema(description = "null = perpetual. " + EXPIRES_AT_DOC, example = "2027-12-31") @Nullable
                    String expiresAt,
            @Schema(description = VALID_FROM_DOC) @Nullable String validFrom,
            @Nullable List<String> features,
            @Nullable Boolean singleUse,
            @Nullable String notes) {}

    @Schema(name = "LicensePatchRequest", description = "Any subset; null clears nullable fields")
    record LicensePatch(
            @Schema(description = "null detaches the customer") @Nullable Long customerId,
            @Schema(description = "A type of the same product; changes no other field") @Nullable Long licenseTypeId,
            @Schema(minimum = "1", maximum = "100000") @Nullable Integer deviceLimit,
            @Schema(minimum = "1", description = "At most device_limit") @Nullable Integer concurrentSessionsLimit,
            @Schema(description = "null = perpetual. " + EXPIRES_AT_DOC, example = "2027-12-31") @Nullable
                    String expiresAt,
            @Schema(description = VALID_FROM_DOC) @Nullable String validFrom,
            @Nullable List<String> features,
            @Nullable Boolean singleUse,
            @Schema(maxLength = 10000) @Nullable String notes) {}

    @Schema(name = "ExtendRequest", description = "Exactly one of days and until")
    record Extend(
            @Schema(minimum = "1", maximum = "36500") @Nullable Integer days,
            @Schema(description = EXPIRES_AT_DOC, example = "2027-12-31") @Nullable String until) {}

    @Schema(name = "ReasonRequest", description = "Optional body; the reason is kept in the audit log")
    record Reason(@Schema(maxLength = 1000) @Nullable String reason) {}

    @Schema(
            name = "LicenseTypeRequest",
            description = "Create: product_id and name required. Patch: any subset except product_id")
    record LicenseTypeBody(
            long productId,
            @Schema(maxLength = 200) String name,
            @Schema(
                            description = "null = perpetual; presets: 1 day, 5 days, 1/6/12 months = 30/180/365 days",
                            minimum = "1",
                            maximum = "36500")
                    @Nullable
                    Integer durationDays,
            @Schema(
                            allowableValues = {"FROM_CREATION", "FROM_FIRST_ACTIVATION"},
                            defaultValue = "FROM_CREATION")
                    @Nullable
                    String expirationBasis,
            @Schema(minimum = "1", maximum = "100000", defaultValue = "1") @Nullable Integer deviceLimit,
            @Schema(description = "1..device_limit; defaults to device_limit") @Nullable
                    Integer concurrentSessionsLimit,
            @Nullable List<String> features,
            @Nullable Boolean singleUse,
            @Schema(
                            description = "Domains from the resource pool each new license of the type gets",
                            minimum = "0",
                            maximum = "1000",
                            defaultValue = "0")
                    @Nullable
                    Integer domains,
            @Schema(
                            description = "IPv4 addresses from the resource pool each new license gets",
                            minimum = "0",
                            maximum = "1000",
                            defaultValue = "0")
                    @Nullable
                    Integer ipv4Addresses,
            @Schema(
                            description = "Phone numbers from the resource pool each new license gets",
                            minimum = "0",
                            maximum = "1000",
                            defaultValue = "0")
                    @Nullable
                    Integer phoneNumbers) {}
}
