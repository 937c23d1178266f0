package dev.licensor.server.customer;

import dev.licensor.server.support.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class CustomerRepository {
    private static final String COLUMNS = "id, name, email, company, phone, notes, test, created_at, updated_at";

    private final JdbcClient jdbc;

    CustomerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Customer> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM customers WHERE id = ?")
                .param(id)
                .query(CustomerRepository::map)
                .optional();
    }

    Optional<Customer> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM customers WHERE id = ? FOR UPDATE")
                .param(id)
                .query(CustomerRepository::map)
                .optional();
    }

    /** Customers whose name, email or company contains {@code query} (any case), by name. */
    List<Customer> search(@Nullable String query, @Nullable Boolean test, int offset, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(query, test, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.sql("SELECT " + COLUMNS + " FROM customers" + where
                        + " ORDER BY LOWER(name), id LIMIT :limit OFFSET :offset")
                .params(params)
                .query(CustomerRepository::map)
                .list();
    }

    long count(@Nullable String query, @Nullable Boolean test) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM customers" + where(query, test, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    long insert(Customer c) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(
                        """
                        INSERT INTO customers (name, email, company, phone, notes, test, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.name(),
                        c.email(),
                        c.company(),
                        c.phone(),
                        c.notes(),
                        c.test(),
                        Db.ts(c.createdAt()),
                        Db.ts(c.updatedAt()))
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    void update(Customer c) {
        jdbc.sql(
                        """
                        UPDATE customers SET name = ?, email = ?, company = ?, phone = ?, notes = ?, test = ?,
                            updated_at = ?
                        WHERE id = ?""")
                .params(c.name(), c.email(), c.company(), c.phone(), c.notes(), c.test(), Db.ts(c.updatedAt()), c.id())
                .update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM customers WHERE id = ?").param(id).update();
    }

    private static String where(@Nullable String query, @Nullable Boolean test, Map<String, Object> params) {
        List<String> clauses = new ArrayList<>();
        if (query != null) {
            clauses.add("(LOWER(name) LIKE :q OR LOWER(email) LIKE :q OR LOWER(company) LIKE :q)");
            params.put("q", "%" + escape(query.toLowerCase(Locale.ROOT)) + "%");
        }
        if (test != null) {
            clauses.add("test = :test");
            params.put("test", test);
        }
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Customer map(ResultSet rs, int row) throws SQLException {
        return new Customer(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("company"),
                rs.getString("phone"),
                rs.getString("notes"),
                rs.getBoolean("test"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "updated_at"));
    }
}
