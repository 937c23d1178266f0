package dev.licensor.server.settings;

import org.jspecify.annotations.Nullable;

/** The feature toggles an ADMIN switches in the panel, with their defaults. */
public enum Toggle {
    /**
     * Suspend a license automatically when an anomaly rule flags it (read by the anomaly scan);
     * until it is switched in the panel, {@code licensor.anomaly.auto-suspend} decides.
     */
    ANOMALY_AUTO_SUSPEND("anomalies.auto-suspend", "licensor.anomaly.auto-suspend", false),
    /** Leave test customers out of the customer list unless asked for. */
    HIDE_TEST_CUSTOMERS("customers.hide-test", null, false),
    /** Accept keys of any format (legacy keys) in the license CSV import. */
    IMPORT_LEGACY_KEYS("imports.legacy-keys", null, true);

    private final String key;
    private final @Nullable String property;
    private final boolean defaultValue;

    Toggle(String key, @Nullable String property, boolean defaultValue) {
        this.key = key;
        this.property = property;
        this.defaultValue = defaultValue;
    }

    /** The configuration property that gives the default while no value is stored, if any. */
    public @Nullable String property() {
        return property;
    }

    public String key() {
        return key;
    }

    public boolean defaultValue() {
        return defaultValue;
    }
}
