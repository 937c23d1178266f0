package dev.licensor.server.web.admin;

import dev.licensor.server.web.PageResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 CSV: writing exports (UTF-8, CRLF, quoted when needed, formula-looking cells prefixed
 * with {@code '} so spreadsheets do not run them) and reading imports.
 */
public final class Csv {
    private Csv() {}

    /**
     * Exports of the logs and the session history, which grow for as long as the server runs, stop
     * after this many pages of {@link PageResponse#MAX_SIZE}: the first 100 000 rows in the list's
     * order (newest first).
     */
    public static final int LOG_EXPORT_PAGES = 200;

    /** Streams rows as a CSV download. */
    public static <T> void write(
            HttpServletResponse response,
            String filename,
            List<String> header,
            Iterable<T> rows,
            Function<T, List<?>> cells)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Writer out = response.getWriter();
        line(out, header);
        for (T row : rows) {
            line(out, cells.apply(row));
        }
        out.flush();
    }

    /** Every row of a paged list, read a page at a time as the export writes it. */
    public static <T> Iterable<T> pages(Function<PageResponse.Paging, PageResponse<T>> source) {
        return pages(source, Integer.MAX_VALUE);
    }

    /**
     * The rows of at most {@code maxPages} pages of {@link PageResponse#MAX_SIZE} rows, read one page
     * at a time as the export writes them, so an export of any length holds one page in memory.
     */
    public static <T> Iterable<T> pages(Function<PageResponse.Paging, PageResponse<T>> source, int maxPages) {
        return () -> new Iterator<>() {
            private int page = -1;
            private Iterator<T> current = Collections.emptyIterator();
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && !last && page + 1 < maxPages) {
                    page++;
                    PageResponse<T> chunk = source.apply(new PageResponse.Paging(page, PageResponse.MAX_SIZE));
                    current = chunk.items().iterator();
                    last = chunk.items().isEmpty() || (long) (page + 1) * PageResponse.MAX_SIZE >= chunk.total();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private static void line(Writer out, List<?> cells) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(i)));
        }
        out.write(line.append("\r\n").toString());
    }

    static String cell(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 && !text.matches("-?\\d+(\\.\\d+)?")) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    /** Parses CSV text into rows of cells; a leading byte-order mark is ignored. */
    public static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                if (!(row.size() == 1 && row.getFirst().isEmpty())) {
                    rows.add(row);
                }
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
