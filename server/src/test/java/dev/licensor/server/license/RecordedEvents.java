package dev.licensor.server.license;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Test-only listener (picked up by component scanning in every integration-test context): records
 * the license events and whether each was published inside a transaction, as the session feature
 * relies on.
 */
@Component
public class RecordedEvents {
    /** An event and whether a transaction was active when it was published. */
    public record Recorded(Object event, boolean inTransaction) {}

    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(LicenseStatusChanged event) {
        record(event);
    }

    @EventListener
    void on(DeviceDeactivated event) {
        record(event);
    }

    private void record(Object event) {
        events.add(new Recorded(event, TransactionSynchronizationManager.isActualTransactionActive()));
    }

    /** Everything recorded about one license. */
    public List<Recorded> of(long licenseId) {
        return events.stream()
                .filter(r -> switch (r.event()) {
                    case LicenseStatusChanged e -> e.licenseId() == licenseId;
                    case DeviceDeactivated e -> e.licenseId() == licenseId;
                    default -> false;
                })
                .toList();
    }
}
