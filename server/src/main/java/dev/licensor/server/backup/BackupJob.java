package dev.licensor.server.backup;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The daily backup (SPEC §6, §7): on one instance at a time (ShedLock), at
 * {@code licensor.backup.cron}; then the backups older than the retention are deleted. The files
 * land in the backup directory of the instance that ran the job: several instances share one
 * directory through a shared volume (docs/BACKUPS.md).
 */
@Component
class BackupJob {
    private final Backups backups;
    private final BackupProperties properties;

    BackupJob(Backups backups, BackupProperties properties) {
        this.backups = backups;
        this.properties = properties;
    }

    @Scheduled(cron = "${licensor.backup.cron:0 0 3 * * *}")
    @SchedulerLock(name = "backup", lockAtMostFor = "PT6H", lockAtLeastFor = "PT1M")
    public void run() {
        if (!properties.enabled()) {
            return;
        }
        try {
            backups.write();
        } finally {
            backups.purge();
        }
    }
}
