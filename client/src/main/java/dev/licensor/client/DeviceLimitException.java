package dev.licensor.client;

import org.jspecify.annotations.Nullable;

/**
 * {@code DEVICE_LIMIT_REACHED}: every device slot of the license is taken. The user can
 * deactivate another device ({@link LicensorClient#deactivate}) to transfer the license.
 */
public class DeviceLimitException extends LicensorException {
    private static final long serialVersionUID = 1L;

    DeviceLimitException(Problem problem, @Nullable Throwable cause) {
        super(problem, cause);
    }

    /**
     * The license's device limit.
     *
     * @return the {@code device_limit} field, or 0 when absent
     */
    public int deviceLimit() {
        return (int) longProperty("device_limit");
    }

    /**
     * The number of active devices.
     *
     * @return the {@code devices_used} field, or 0 when absent
     */
    public int devicesUsed() {
        return (int) longProperty("devices_used");
    }
}
