package dev.licensor.server.webhook;

import dev.licensor.server.abuse.LicenseFlagged;
import dev.licensor.server.license.Activations;
import dev.licensor.server.license.Device;
import dev.licensor.server.license.DeviceActivated;
import dev.licensor.server.license.License;
import dev.licensor.server.license.LicensesCreated;
import dev.licensor.server.session.SessionLimitReached;
import dev.licensor.server.session.SessionStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns the other features' events into outbox rows. The events are published inside the
 * transaction of the change and handled synchronously, so the rows commit with the change or not at
 * all. Each handler first asks the endpoint cache whether anyone listens: for a product without
 * webhooks an event costs no query. Heartbeats publish nothing.
 */
@Component
class WebhookEvents {
    private final Webhooks webhooks;
    private final Activations activations;
    private final TransactionTemplate separate;

    WebhookEvents(Webhooks webhooks, Activations activations, PlatformTransactionManager transactions) {
        this.webhooks = webhooks;
        this.activations = activations;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @EventListener
    void licensesCreated(LicensesCreated event) {
        if (!webhooks.wanted(event.productId(), EventType.LICENSE_CREATED)) {
            return;
        }
        Instant now = webhooks.now();
        List<Webhooks.Event> queued = new ArrayList<>(event.licenses().size());
        for (License license : event.licenses()) {
            Map<String, @Nullable Object> data = new LinkedHashMap<>();
            data.put("license_key", license.licenseKey());
            data.put("license", license(license));
            queued.add(new Webhooks.Event(UUID.randomUUID(), EventType.LICENSE_CREATED, event.productId(), now, data));
        }
        webhooks.enqueue(queued);
    }

    @EventListener
    void deviceActivated(DeviceActivated event) {
        if (!webhooks.wanted(event.productId(), EventType.LICENSE_ACTIVATED)) {
            return;
        }
        // Read again: the first activation may just have set the expiry.
        License license = activations.find(event.licenseId()).orElseThrow();
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("license_key", license.licenseKey());
        data.put("license", license(license));
        data.put("device", device(event.device()));
        queue(EventType.LICENSE_ACTIVATED, event.productId(), data);
    }

    @EventListener
    void sessionStarted(SessionStarted event) {
        if (!webhooks.wanted(event.productId(), EventType.SESSION_STARTED)) {
            return;
        }
        Map<String, @Nullable Object> device = new LinkedHashMap<>();
        device.put("id", event.deviceId());
        device.put("hardware_hash", event.hardwareHash());
        device.put("machine_id", event.machineId());
        Map<String, @Nullable Object> session = new LinkedHashMap<>();
        session.put("id", event.sessionId());
        session.put("resumed", event.resumed());
        session.put("ip", event.ip());
        session.put("version", event.version());
        session.put("started_at", event.startedAt().toString());
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("license_key", event.licenseKey());
        data.put("device", device);
        data.put("session", session);
        queue(EventType.SESSION_STARTED, event.productId(), data);
    }

    /**
     * Published after the refused start rolled back (its connection given back), so the event is
     * written in a transaction of its own; the refusal is final either way.
     */
    @EventListener
    void sessionLimitReached(SessionLimitReached event) {
        if (!webhooks.wanted(event.productId(), EventType.SESSION_LIMIT_REACHED)) {
            return;
        }
        Map<String, @Nullable Object> device = new LinkedHashMap<>();
        device.put("hardware_hash", event.hardwareHash());
        device.put("machine_id", event.machineId());
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("license_key", event.licenseKey());
        data.put("concurrent_sessions_limit", event.concurrentSessionsLimit());
        data.put("live_sessions", event.liveSessions());
        data.put("device", device);
        separate.executeWithoutResult(status -> queue(EventType.SESSION_LIMIT_REACHED, event.productId(), data));
    }

    @EventListener
    void licenseFlagged(LicenseFlagged event) {
        License license = activations.find(event.licenseId()).orElse(null);
        if (license == null || !webhooks.wanted(license.productId(), EventType.LICENSE_SUSPICIOUS)) {
            return;
        }
        Map<String, @Nullable Object> data = new LinkedHashMap<>();
        data.put("license_key", license.licenseKey());
        data.put("rule", event.rule());
        data.put("reason", event.reason());
        data.put("license", license(license));
        queue(EventType.LICENSE_SUSPICIOUS, license.productId(), data);
    }

    private void queue(EventType type, long productId, Map<String, @Nullable Object> data) {
        webhooks.enqueue(List.of(new Webhooks.Event(UUID.randomUUID(), type, productId, webhooks.now(), data)));
    }

    /** What a payload tells about a license: its state and limits, never notes or internal ids. */
    static Map<String, @Nullable Object> license(License license) {
        Map<String, @Nullable Object> view = new LinkedHashMap<>();
        view.put("license_key", license.licenseKey());
        view.put("status", license.status().name());
        view.put("customer_id", license.customerId());
        view.put("license_type_id", license.licenseTypeId());
        view.put("valid_from", text(license.validFrom()));
        view.put("expires_at", text(license.expiresAt()));
        view.put("device_limit", license.deviceLimit());
        view.put("concurrent_sessions_limit", license.concurrentSessionsLimit());
        view.put("features", license.features());
        view.put("single_use", license.singleUse());
        view.put("batch_id", license.batchId());
        view.put("suspicious", license.suspicious());
        return view;
    }

    private static Map<String, @Nullable Object> device(Device device) {
        Map<String, @Nullable Object> view = new LinkedHashMap<>();
        view.put("id", device.id());
        view.put("hardware_hash", device.hardwareHash());
        view.put("machine_id", device.machineId());
        view.put("name", device.name());
        view.put("type", device.deviceType());
        view.put("os", device.os());
        return view;
    }

    static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
