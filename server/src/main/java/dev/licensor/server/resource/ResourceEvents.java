package dev.licensor.server.resource;

import dev.licensor.server.license.LicenseDeleting;
import dev.licensor.server.license.LicenseStatus;
import dev.licensor.server.license.LicenseStatusChanged;
import dev.licensor.server.license.LicensesIssued;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Allocates and releases with the licensing core's changes. The events are published inside the
 * transaction that changed the license and handled synchronously, so a short pool rolls the
 * creation back, and a release happens with the revocation or deletion or not at all.
 */
@Component
class ResourceEvents {
    private final ResourcePool pool;

    ResourceEvents(ResourcePool pool) {
        this.pool = pool;
    }

    @EventListener
    void licensesIssued(LicensesIssued event) {
        pool.allocateIssued(event);
    }

    /** Deletion comes first (published before the revocation a deletion also announces). */
    @EventListener
    void licenseDeleting(LicenseDeleting event) {
        pool.releaseLicense(event.licenseId(), ResourcePool.LICENSE_DELETED);
    }

    /** Only a revocation releases: a suspended license keeps its resources. */
    @EventListener
    void licenseStatusChanged(LicenseStatusChanged event) {
        if (event.status() == LicenseStatus.REVOKED) {
            pool.releaseLicense(event.licenseId(), ResourcePool.LICENSE_REVOKED);
        }
    }
}
