package dev.licensor.server.web;

import java.util.List;

/** Every admin list answers {@code {items, page, size, total}}; pages count from 0. */
public record PageResponse<T>(List<T> items, int page, int size, long total) {
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
    }
}
