package dev.licensor.server.web.admin;

import dev.licensor.server.web.PageResponse;

/**
 * Paging facts a list template shows: "1–50 of 1 234" (or "of 10 000+" when the count was capped),
 * previous/next.
 */
public record Pager(int page, int size, long total, boolean capped) {
    public static final int SIZE = 50;

    public Pager(int page, int size, long total) {
        this(page, size, total, false);
    }

    public static Pager of(PageResponse<?> response) {
        return new Pager(response.page(), response.size(), response.total(), response.totalCapped());
    }

    public static PageResponse.Paging paging(int page) {
        return new PageResponse.Paging(Math.max(0, Math.min(page, 100_000)), SIZE);
    }

    public long from() {
        return total == 0 ? 0 : (long) page * size + 1;
    }

    public long to() {
        return Math.min(total, (long) (page + 1) * size);
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }

    public int pages() {
        return (int) Math.max(1, (total + size - 1) / size);
    }
}
