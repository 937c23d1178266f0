package dev.licensor.server.settings;

/** The feature toggles an ADMIN switches in the panel, with their defaults. */
public enum Toggle {
    /** Suspend a license automatically when an anomaly rule flags it (read by the anomaly scan). */
    ANOMALY_AUTO_SUSPEND("anomalies.auto-suspend", false),
    /** Leave test customers out of the customer list unless asked for. */
    HIDE_TEST_CUSTOMERS("customers.hide-test", false),
    /** Accept keys of any format (legacy keys) in the license CSV import. */
    IMPORT_LEGACY_KEYS("imports.legacy-keys", true);

    private final String key;
    private final boolean defaultValue;

    Toggle(String key, boolean defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    public boolean defaultValue() {
        return defaultValue;
    }
}
