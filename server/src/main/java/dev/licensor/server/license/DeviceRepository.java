package dev.licensor.server.license;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class DeviceRepository {
    private static final String COLUMNS =
            """
            id, license_id, hardware_hash, machine_id, name, device_type, os, mac, cpu_id, system_uuid, status,
            first_activated_at, last_seen_at, last_ip, deactivated_at""";

    private final JdbcClient jdbc;

    DeviceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Device> find(long licenseId, String hardwareHash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE license_id = ? AND hardware_hash = ?")
                .params(licenseId, hardwareHash)
                .query(DeviceRepository::map)
                .optional();
    }

    Optional<Device> findById(long licenseId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE license_id = ? AND id = ?")
                .params(licenseId, id)
                .query(DeviceRepository::map)
                .optional();
    }

    List<Device> list(long licenseId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE license_id = ? ORDER BY id")
                .param(licenseId)
                .query(DeviceRepository::map)
                .list();
    }

    /** One page of the license's devices, in the order {@link #list(long)} gives them. */
    List<Device> list(long licenseId, int offset, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE license_id = ? ORDER BY id LIMIT ? OFFSET ?")
                .params(licenseId, limit, offset)
                .query(DeviceRepository::map)
                .list();
    }

    long count(long licenseId) {
        return jdbc.sql("SELECT COUNT(*) FROM devices WHERE license_id = ?")
                .param(licenseId)
                .query(Long.class)
                .single();
    }

    List<Device> active(long licenseId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE license_id = ? AND status = 'ACTIVE' ORDER BY id")
                .param(licenseId)
                .query(DeviceRepository::map)
                .list();
    }

    int countActive(long licenseId) {
        return jdbc.sql("SELECT COUNT(*) FROM devices WHERE license_id = ? AND status = 'ACTIVE'")
                .param(licenseId)
                .query(Integer.class)
                .single();
    }

    /** Whether any device other than this hash was ever bound (for single-use licenses). */
    boolean boundToOther(long licenseId, String hardwareHash) {
        return jdbc.sql("SELECT COUNT(*) FROM devices WHERE license_id = ? AND hardware_hash <> ?")
                        .params(licenseId, hardwareHash)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long insert(Device d) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO devices (license_id, hardware_hash, machine_id, name, device_type, os, mac, cpu_id,
                            system_uuid, status, first_activated_at, last_seen_at, last_ip)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        d.licenseId(),
                        d.hardwareHash(),
                        d.machineId(),
                        d.name(),
                        d.deviceType(),
                        d.os(),
                        d.mac(),
                        d.cpuId(),
                        d.systemUuid(),
                        d.status().name(),
                        Db.ts(d.firstActivatedAt()),
                        Db.ts(d.lastSeenAt()),
                        d.lastIp())
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    /** Marks a device seen and, when given, refreshes what the client reported about it. */
    void touch(
            long id,
            String hardwareHash,
            DeviceStatus status,
            @Nullable String machineId,
            @Nullable String name,
            @Nullable String deviceType,
            @Nullable String os,
            @Nullable String mac,
            @Nullable String cpuId,
            @Nullable String systemUuid,
            Instant now,
            @Nullable String ip) {
        jdbc.sql(
                        """
                        UPDATE devices SET hardware_hash = ?, status = ?, machine_id = COALESCE(?, machine_id),
                            name = COALESCE(?, name), device_type = COALESCE(?, device_type), os = COALESCE(?, os),
                            mac = COALESCE(?, mac), cpu_id = COALESCE(?, cpu_id), system_uuid = COALESCE(?, system_uuid),
                            last_seen_at = ?, last_ip = ?, deactivated_at = NULL
                        WHERE id = ?""")
                .params(
                        hardwareHash,
                        status.name(),
                        machineId,
                        name,
                        deviceType,
                        os,
                        mac,
                        cpuId,
                        systemUuid,
                        Db.ts(now),
                        ip,
                        id)
                .update();
    }

    void setStatus(long id, DeviceStatus status, Instant now) {
        jdbc.sql("UPDATE devices SET status = ?, deactivated_at = ? WHERE id = ?")
                .params(status.name(), status == DeviceStatus.ACTIVE ? null : Db.ts(now), id)
                .update();
    }

    void recordDeactivation(long licenseId, long deviceId, Instant now) {
        jdbc.sql("INSERT INTO license_deactivations (license_id, device_id, deactivated_at) VALUES (?, ?, ?)")
                .params(licenseId, deviceId, Db.ts(now))
                .update();
    }

    /** Deactivations in the window, oldest first. */
    List<Instant> deactivationsSince(long licenseId, Instant since) {
        return jdbc.sql(
                        """
                        SELECT deactivated_at FROM license_deactivations
                        WHERE license_id = ? AND deactivated_at > ? ORDER BY deactivated_at""")
                .params(licenseId, Db.ts(since))
                .query((rs, n) -> Db.instant(rs, "deactivated_at"))
                .list();
    }

    static Device map(ResultSet rs, int row) throws SQLException {
        return map(rs, "");
    }

    /** The columns of {@code devices} aliased {@code <alias>_<column>}, for a join. */
    static String aliasedColumns(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS.split(",")) {
            String name = column.strip();
            columns.append(columns.isEmpty() ? "" : ", ")
                    .append(alias)
                    .append('.')
                    .append(name)
                    .append(" AS ")
                    .append(alias)
                    .append('_')
                    .append(name);
        }
        return columns.toString();
    }

    /** A device from columns named {@code prefix + column}; empty when the join found none. */
    static @Nullable Device mapPrefixed(ResultSet rs, String alias) throws SQLException {
        String prefix = alias + "_";
        rs.getLong(prefix + "id");
        return rs.wasNull() ? null : map(rs, prefix);
    }

    private static Device map(ResultSet rs, String prefix) throws SQLException {
        return new Device(
                rs.getLong(prefix + "id"),
                rs.getLong(prefix + "license_id"),
                rs.getString(prefix + "hardware_hash"),
                rs.getString(prefix + "machine_id"),
                rs.getString(prefix + "name"),
                rs.getString(prefix + "device_type"),
                rs.getString(prefix + "os"),
                rs.getString(prefix + "mac"),
                rs.getString(prefix + "cpu_id"),
                rs.getString(prefix + "system_uuid"),
                DeviceStatus.valueOf(rs.getString(prefix + "status")),
                Db.instant(rs, prefix + "first_activated_at"),
                Db.instant(rs, prefix + "last_seen_at"),
                rs.getString(prefix + "last_ip"),
                Db.instant(rs, prefix + "deactivated_at"));
    }
}
