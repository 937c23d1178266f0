package dev.licensor.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Every admin list answers {@code {items, page, size, total}}; pages count from 0. A list over a
 * log that can hold millions of rows counts at most {@link Paging#countLimit()} of them, and then
 * answers {@code total_capped: true}: there are at least {@code total} rows (always more than this
 * page reaches, so a next page is known to exist).
 */
public record PageResponse<T>(
        List<T> items,
        int page,
        int size,
        long total,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean totalCapped) {
    /** Rows a capped count counts at least (more when the page asked for lies beyond them). */
    public static final int COUNT_CAP = 10_000;

    public PageResponse(List<T> items, int page, int size, long total) {
        this(items, page, size, total, false);
    }

    /** The page {@code paging} asked for, of {@code total} rows in all. */
    public static <T> PageResponse<T> of(List<T> items, Paging paging, long total) {
        return new PageResponse<>(items, paging.page(), paging.size(), total);
    }

    /** A page whose {@code counted} rows were counted up to {@code paging.countLimit()}. */
    public static <T> PageResponse<T> counted(List<T> items, Paging paging, long counted) {
        return new PageResponse<>(items, paging.page(), paging.size(), counted, counted >= paging.countLimit());
    }

    /** The largest page size a client may ask for. */
    public static final int MAX_SIZE = 500;

    /** The most rows a page may skip (page × size), so the offset never overflows. */
    public static final int MAX_OFFSET = 100_000_000;

    /** Validated paging parameters. */
    public record Paging(int page, int size) {
        public Paging {
            if (page < 0) {
                throw JsonFields.invalid("page", "must be 0 or more");
            }
            if ((long) page * Math.max(size, 1) > MAX_OFFSET) {
                throw JsonFields.invalid("page", "is too far: at most " + MAX_OFFSET + " rows can be skipped");
            }
            if (size < 1 || size > MAX_SIZE) {
                throw JsonFields.invalid("size", "must be between 1 and " + MAX_SIZE);
            }
        }

        public int offset() {
            return Math.multiplyExact(page, size);
        }

        /** How many rows a capped count counts: {@link #COUNT_CAP}, or one past this page if further. */
        public long countLimit() {
            return Math.max(COUNT_CAP, (long) offset() + size + 1);
        }
    }
}
