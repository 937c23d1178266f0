package dev.licensor.server.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The events an endpoint may subscribe to, by their wire names; {@link #TEST} is sent on request only. */
public enum EventType {
    LICENSE_CREATED("license.created"),
    LICENSE_ACTIVATED("license.activated"),
    SESSION_STARTED("session.started"),
    SESSION_LIMIT_REACHED("session.limit_reached"),
    LICENSE_SUSPICIOUS("license.suspicious"),
    LICENSE_EXPIRING_SOON("license.expiring_soon"),
    TEST("webhook.test");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name in payloads, headers and subscriptions, e.g. {@code license.activated}. */
    public String wire() {
        return wire;
    }

    /** The events an endpoint can subscribe to, in a stable order. */
    public static List<EventType> subscribable() {
        return Arrays.stream(values()).filter(t -> t != TEST).toList();
    }

    /** The subscribable event of a wire name. */
    public static Optional<EventType> ofSubscribable(String wire) {
        return subscribable().stream().filter(t -> t.wire.equals(wire)).findFirst();
    }

    /** Any event of a wire name, {@link #TEST} included. */
    static Optional<EventType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }
}
