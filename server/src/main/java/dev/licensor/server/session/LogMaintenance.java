package dev.licensor.server.session;

import dev.licensor.server.support.Db;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the logs bounded. On PostgreSQL the heartbeat log is partitioned by month: partitions are
 * created {@value #MONTHS_AHEAD} months ahead, and a partition is dropped whole once every row it
 * can hold is older than the retention (so rows are kept up to a month longer than the retention;
 * dropping a partition costs nothing, deleting rows from a log this size would). On H2 old rows
 * are deleted. The validation log is pruned by DELETE on both.
 */
@Component
public class LogMaintenance {
    private static final Logger log = LoggerFactory.getLogger(LogMaintenance.class);
    static final int MONTHS_AHEAD = 2;
    private static final String PARTITION_PREFIX = "heartbeat_log_";
    private static final DateTimeFormatter PARTITION_MONTH = DateTimeFormatter.ofPattern("uuuu_MM");

    private final JdbcTemplate jdbc;
    private final SessionSettings settings;
    private final Clock clock;
    private final boolean postgres;

    LogMaintenance(JdbcTemplate jdbc, DataSource dataSource, SessionSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.postgres = Db.postgres(dataSource);
    }

    /** What one run did. */
    public record Result(List<String> partitionsDropped, int heartbeatRowsDeleted, int validationRowsDeleted) {}

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        ensurePartitions();
    }

    /** Runs the whole maintenance: partitions ahead, heartbeat-log and validation-log retention. */
    public Result run() {
        ensurePartitions();
        Instant now = clock.instant();
        Instant heartbeatCutoff = now.minus(settings.heartbeatLogRetention());
        List<String> dropped = List.of();
        int heartbeatRows = 0;
        if (postgres) {
            dropped = dropPartitionsBefore(heartbeatCutoff);
        } else {
            heartbeatRows = jdbc.update("DELETE FROM heartbeat_log WHERE at < ?", Db.ts(heartbeatCutoff));
        }
        int validationRows = jdbc.update(
                "DELETE FROM validation_log WHERE at < ?", Db.ts(now.minus(settings.validationLogRetention())));
        if (!dropped.isEmpty() || heartbeatRows > 0 || validationRows > 0) {
            log.info(
                    "log maintenance: dropped heartbeat partitions {}, deleted {} heartbeat and {} validation rows",
                    dropped,
                    heartbeatRows,
                    validationRows);
        }
        return new Result(dropped, heartbeatRows, validationRows);
    }

    /**
     * Creates the heartbeat-log partitions of the previous month, this month and the next {@value
     * #MONTHS_AHEAD} (PostgreSQL). The previous month too: log rows are queued and written after
     * their heartbeat, so on a server installed at a month's turn a row stamped a moment before
     * midnight would otherwise find no partition.
     */
    public void ensurePartitions() {
        if (!postgres) {
            return;
        }
        YearMonth first = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).minusMonths(1);
        for (int i = 0; i <= MONTHS_AHEAD + 1; i++) {
            YearMonth month = first.plusMonths(i);
            try {
                createPartition(jdbc, month);
            } catch (DataAccessException e) {
                // Another instance created it at the same moment.
                log.debug("partition {} not created: {}", partition(month), e.toString());
            }
        }
    }

    /**
     * Creates the heartbeat-log partition of a month unless it exists (PostgreSQL only). Also used
     * by a restore, whose rows may belong to months outside the ones kept ahead.
     */
    public static void createPartition(JdbcTemplate jdbc, YearMonth month) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + partition(month) + " PARTITION OF heartbeat_log"
                + " FOR VALUES FROM ('" + start(month) + "') TO ('" + start(month.plusMonths(1)) + "')");
    }

    /** The heartbeat-log partitions (PostgreSQL), oldest first. */
    List<String> partitions() {
        if (!postgres) {
            return List.of();
        }
        return jdbc.queryForList(
                """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'heartbeat_log'::regclass ORDER BY c.relname""",
                String.class);
    }

    private List<String> dropPartitionsBefore(Instant cutoff) {
        List<String> dropped = new java.util.ArrayList<>();
        for (String name : partitions()) {
            YearMonth month = month(name);
            if (month == null) {
                continue;
            }
            Instant end =
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!end.isAfter(cutoff)) {
                jdbc.execute("DROP TABLE IF EXISTS " + name);
                dropped.add(name);
            }
        }
        return dropped;
    }

    static String partition(YearMonth month) {
        return PARTITION_PREFIX + PARTITION_MONTH.format(month);
    }

    /** The month of a partition name, or null for a table this job did not name. */
    static @org.jspecify.annotations.Nullable YearMonth month(String partition) {
        if (!partition.startsWith(PARTITION_PREFIX)) {
            return null;
        }
        try {
            return YearMonth.parse(partition.substring(PARTITION_PREFIX.length()), PARTITION_MONTH);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String start(YearMonth month) {
        LocalDate day = month.atDay(1);
        return day + " 00:00:00+00";
    }
}
