package dev.licensor.server.abuse.admin;

import dev.licensor.server.web.PageResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads every page of a list for a CSV export (bounded, like the other panel exports). */
final class PanelExport {
    private PanelExport() {}

    static <T> List<T> all(Function<PageResponse.Paging, PageResponse<T>> source) {
        List<T> all = new ArrayList<>();
        for (int page = 0; page < 200; page++) {
            PageResponse<T> chunk = source.apply(new PageResponse.Paging(page, PageResponse.MAX_SIZE));
            all.addAll(chunk.items());
            if ((long) (page + 1) * PageResponse.MAX_SIZE >= chunk.total()) {
                break;
            }
        }
        return all;
    }
}
