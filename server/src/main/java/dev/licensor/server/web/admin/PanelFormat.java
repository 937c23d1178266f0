package dev.licensor.server.web.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Formatting helpers the templates call as {@code @fmt}: times in UTC, as operators read them. */
@Component("fmt")
public class PanelFormat {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    public String when(@Nullable Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    public String day(@Nullable Instant instant) {
        return instant == null ? "" : DAY.format(instant);
    }

    /** A long hash shortened for a table cell. */
    public String shortHash(@Nullable String hash) {
        return hash == null ? "" : hash.length() <= 16 ? hash : hash.substring(0, 16) + "…";
    }
}
