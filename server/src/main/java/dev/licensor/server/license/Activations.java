package dev.licensor.server.license;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.licensor.protocol.ErrorCode;
import dev.licensor.protocol.Version;
import dev.licensor.server.audit.AuditLog;
import dev.licensor.server.audit.ValidationLog;
import dev.licensor.server.product.Product;
import dev.licensor.server.product.Products;
import dev.licensor.server.product.VersionInfo;
import dev.licensor.server.security.Actor;
import dev.licensor.server.support.RequestInfo;
import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Activation and deactivation of devices. Every decision is made inside one transaction holding
 * the license row lock ({@code SELECT … FOR UPDATE}), so concurrent activations on any number of
 * instances never exceed {@code device_limit}.
 */
@Service
public class Activations {
    private final LicenseRepository licenses;
    private final DeviceRepository devices;
    private final LicenseKeys keys;
    private final LicenseViews views;
    private final Products products;
    private final ValidationLog validationLog;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Activations(
            LicenseRepository licenses,
            DeviceRepository devices,
            LicenseKeys keys,
            LicenseViews views,
            Products products,
            ValidationLog validationLog,
            AuditLog audit,
            ApplicationEventPublisher events,
            Clock clock) {
        this.licenses = licenses;
        this.devices = devices;
        this.keys = keys;
        this.views = views;
        this.products = products;
        this.validationLog = validationLog;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** The answer to a successful activation. */
    public record Activated(
            boolean activated,
            boolean newDevice,
            LicenseView license,
            DeviceView device,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String offlineToken) {
        /** The same answer with an offline token attached. */
        public Activated withOfflineToken(String token) {
            return new Activated(activated, newDevice, license, device, token);
        }
    }

    /** The answer to a successful deactivation. */
    public record Deactivated(boolean deactivated, int devicesUsed, int deviceLimit) {}

    /** An activation's answer plus what the caller needs to issue an offline token for it. */
    public record Activation(Activated answer, License license, Device device, Product product) {}

    /** What {@link #bind} did: the device now active, and whether it took a new slot. */
    public record Binding(License license, Device device, boolean newDevice) {}

    @Transactional
    public Activation activate(long productId, ClientRequests.Activate request) {
        Product product = products.cached(productId);
        Long licenseId = null;
        try {
            Version version = parseVersion(request.version());
            License license = lockUsable(product, request.licenseKey());
            licenseId = license.id();
            requireVersion(product, version);
            ClientRequests.Components c = request.components();
            Binding binding = bind(
                    product,
                    license,
                    request.hardwareHash(),
                    request.machineId(),
                    request.deviceName(),
                    request.deviceType(),
                    request.os(),
                    c == null ? null : c.mac(),
                    c == null ? null : c.cpuId(),
                    c == null ? null : c.systemUuid());
            License current = licenses.findById(license.id()).orElseThrow();
            validationLog.record(
                    productId,
                    licenseId,
                    request.licenseKey(),
                    "activate",
                    "OK",
                    request.hardwareHash(),
                    request.version());
            return new Activation(
                    new Activated(
                            true,
                            binding.newDevice(),
                            views.view(current, product),
                            DeviceView.of(binding.device()),
                            null),
                    current,
                    binding.device(),
                    product);
        } catch (ApiException e) {
            validationLog.record(
                    productId,
                    licenseId,
                    request.licenseKey(),
                    "activate",
                    e.code().name(),
                    request.hardwareHash(),
                    request.version());
            throw e;
        }
    }

    /**
     * Locks the license of a typed key and checks it may be used now; the caller must be inside a
     * transaction. Unknown keys, keys of other products and keys failing their check characters
     * are all {@code LICENSE_NOT_FOUND}.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public License lockUsable(Product product, String typedKey) {
        License license = lock(product, typedKey);
        Usability usability = license.usability(clock.instant(), product.expiryGraceDays());
        if (!usability.usable()) {
            throw ApiException.of(usability.error());
        }
        return license;
    }

    /** Locks the license of a typed key, whatever its state. */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public License lock(Product product, String typedKey) {
        LicenseKeys.Lookup lookup = keys.lookup(typedKey, product.keyPrefix())
                .orElseThrow(() -> ApiException.of(ErrorCode.LICENSE_NOT_FOUND));
        return licenses.lock(product.id(), lookup.compact(), lookup.legacy())
                .orElseThrow(() -> ApiException.of(ErrorCode.LICENSE_NOT_FOUND));
    }

    /** The license with this id as it is now (in the caller's transaction, if any). */
    public Optional<License> find(long licenseId) {
        return licenses.findById(licenseId);
    }

    /** The device of a license with this hardware hash, whatever its state. */
    public Optional<Device> device(long licenseId, String hardwareHash) {
        return devices.find(licenseId, hardwareHash);
    }

    /** The client's view of a license as it is now, e.g. after a {@link #bind}. */
    public LicenseView view(License license, Product product) {
        return views.view(licenses.findById(license.id()).orElse(license), product);
    }

    /** Throws {@code UPDATE_REQUIRED} when the client version is below the product's minimum. */
    public static void requireVersion(Product product, @Nullable Version version) {
        if (VersionInfo.updateRequired(product, version)) {
            throw ApiException.of(ErrorCode.UPDATE_REQUIRED)
                    .with("minimum_version", product.minimumVersion())
                    .with("download_url", product.downloadUrl())
                    .args(product.minimumVersion());
        }
    }

    /** A client-sent version, or a 400 naming the field. */
    public static @Nullable Version parseVersion(@Nullable String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        return Version.parse(version)
                .orElseThrow(() -> JsonFields.invalid("version", "must be a version such as 1.4.2"));
    }

    /**
     * Binds a device to a locked, usable license under the activation rules: idempotent for an
     * active device, refused for a blocked one, matched by components when the hash changed,
     * single-use licenses bound to their first device, and never beyond {@code device_limit}.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public Binding bind(
            Product product,
            License license,
            String hardwareHash,
            @Nullable String machineId,
            @Nullable String name,
            @Nullable String deviceType,
            @Nullable String os,
            @Nullable String mac,
            @Nullable String cpuId,
            @Nullable String systemUuid) {
        Instant now = clock.instant();
        String ip = RequestInfo.current().ip();
        // Re-activating a known machine: bind it to this hash, mark it active and seen, and keep
        // what the client reports about it current.
        Function<Device, Device> refresh = device -> {
            devices.touch(
                    device.id(),
                    hardwareHash,
                    DeviceStatus.ACTIVE,
                    machineId,
                    name,
                    deviceType,
                    os,
                    mac,
                    cpuId,
                    systemUuid,
                    now,
                    ip);
            return devices.findById(license.id(), device.id()).orElseThrow();
        };
        Optional<Device> known = devices.find(license.id(), hardwareHash);
        if (known.isPresent()) {
            Device device = known.get();
            switch (device.status()) {
                case BLOCKED -> throw ApiException.of(ErrorCode.DEVICE_BLOCKED);
                case ACTIVE -> {
                    return new Binding(license, refresh.apply(device), false);
                }
                case DEACTIVATED -> {
                    requireFreeSlot(license);
                    Device reactivated = refresh.apply(device);
                    markFirstActivation(license, now);
                    events.publishEvent(new DeviceActivated(product.id(), license.id(), reactivated));
                    return new Binding(license, reactivated, true);
                }
            }
        }
        if (mac != null || cpuId != null || systemUuid != null) {
            for (Device device : devices.active(license.id())) {
                if (device.sameMachine(mac, cpuId, systemUuid)) {
                    Device changed = refresh.apply(device);
                    audit.record(
                            Actor.SYSTEM,
                            "device.hardware_changed",
                            "device",
                            device.id(),
                            Map.of("hardware_hash", device.hardwareHash()),
                            Map.of("hardware_hash", hardwareHash));
                    return new Binding(license, changed, false);
                }
            }
        }
        if (license.singleUse() && devices.boundToOther(license.id(), hardwareHash)) {
            throw ApiException.of(ErrorCode.LICENSE_ALREADY_USED);
        }
        requireFreeSlot(license);
        Device fresh = new Device(
                0,
                license.id(),
                hardwareHash,
                machineId,
                name,
                deviceType,
                os,
                mac,
                cpuId,
                systemUuid,
                DeviceStatus.ACTIVE,
                now,
                now,
                ip,
                null);
        long id = devices.insert(fresh);
        markFirstActivation(license, now);
        Device activated = devices.findById(license.id(), id).orElseThrow();
        events.publishEvent(new DeviceActivated(product.id(), license.id(), activated));
        return new Binding(license, activated, true);
    }

    @Transactional
    public Deactivated deactivate(long productId, ClientRequests.Deactivate request) {
        Product product = products.cached(productId);
        Long licenseId = null;
        try {
            License license = lock(product, request.licenseKey());
            licenseId = license.id();
            Device device = devices.find(license.id(), request.hardwareHash())
                    .orElseThrow(() -> ApiException.of(ErrorCode.DEVICE_NOT_ACTIVATED));
            if (device.status() == DeviceStatus.BLOCKED) {
                throw ApiException.of(ErrorCode.DEVICE_BLOCKED);
            }
            if (device.status() != DeviceStatus.ACTIVE) {
                throw ApiException.of(ErrorCode.DEVICE_NOT_ACTIVATED);
            }
            Instant now = clock.instant();
            requireDeactivationQuota(product, license, now);
            devices.setStatus(device.id(), DeviceStatus.DEACTIVATED, now);
            devices.recordDeactivation(license.id(), device.id(), now);
            events.publishEvent(new DeviceDeactivated(license.id(), device.id(), DeviceStatus.DEACTIVATED));
            validationLog.record(
                    productId, licenseId, request.licenseKey(), "deactivate", "OK", request.hardwareHash(), null);
            return new Deactivated(true, devices.countActive(license.id()), license.deviceLimit());
        } catch (ApiException e) {
            validationLog.record(
                    productId,
                    licenseId,
                    request.licenseKey(),
                    "deactivate",
                    e.code().name(),
                    request.hardwareHash(),
                    null);
            throw e;
        }
    }

    private void requireDeactivationQuota(Product product, License license, Instant now) {
        Integer max = product.maxDeactivationsPer30Days();
        if (max == null) {
            return;
        }
        Duration window = Duration.ofDays(30);
        List<Instant> recent = devices.deactivationsSince(license.id(), now.minus(window));
        if (recent.size() >= max) {
            Instant reset = max == 0 || recent.isEmpty()
                    ? now.plus(window)
                    : recent.get(recent.size() - max).plus(window);
            long retryAfter = Math.max(1, Duration.between(now, reset).toSeconds());
            throw ApiException.of(ErrorCode.DEACTIVATION_LIMIT_REACHED)
                    .with("max_deactivations_per_30_days", max)
                    .header("Retry-After", Long.toString(retryAfter))
                    .header("X-RateLimit-Limit", Integer.toString(max))
                    .header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond()));
        }
    }

    private void requireFreeSlot(License license) {
        int used = devices.countActive(license.id());
        if (used >= license.deviceLimit()) {
            throw ApiException.of(ErrorCode.DEVICE_LIMIT_REACHED)
                    .with("device_limit", license.deviceLimit())
                    .with("devices_used", used)
                    .args(used, license.deviceLimit());
        }
    }

    private void markFirstActivation(License license, Instant now) {
        if (license.activatedAt() == null) {
            licenses.markActivated(license.id(), now, license.expiryOnFirstActivation(now));
        }
    }
}
