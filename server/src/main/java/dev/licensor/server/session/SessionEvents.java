package dev.licensor.server.session;

import dev.licensor.server.license.DeviceDeactivated;
import dev.licensor.server.license.LicenseStatusChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends sessions when the licensing core takes their device or license out of service. The events
 * are published inside the transaction that made the change and handled synchronously, so the
 * session ends in the same transaction (and not at all if it rolls back).
 */
@Component
class SessionEvents {
    private final Sessions sessions;

    SessionEvents(Sessions sessions) {
        this.sessions = sessions;
    }

    @EventListener
    void deviceDeactivated(DeviceDeactivated event) {
        sessions.endForDevice(event.licenseId(), event.deviceId());
    }

    @EventListener
    void licenseStatusChanged(LicenseStatusChanged event) {
        sessions.endForLicense(event.licenseId());
    }
}
