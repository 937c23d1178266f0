package dev.licensor.server.web.admin;

import dev.licensor.server.web.ApiException;
import dev.licensor.server.web.JsonFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CSV imports, all or nothing: every row goes through the same service call as a single create,
 * inside one transaction. A preview runs the whole import and rolls it back, reporting each row's
 * error; a commit runs it again and keeps it only when no row failed.
 */
@Component
public class CsvImport {
    /** The most rows one import takes. */
    public static final int MAX_ROWS = 10_000;

    /**
     * The largest CSV file one import takes (it is read into memory): the multipart limit is far
     * larger, for backups to restore.
     */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    /** The import page, for the preview and for the form. */
    public static final String VIEW = "admin/import";

    /** The text of an uploaded CSV file, else the pasted text; refuses a file over {@link #MAX_BYTES}. */
    static @Nullable String text(@Nullable MultipartFile file, @Nullable String pasted) throws IOException {
        if (file == null || file.isEmpty()) {
            return pasted;
        }
        if (file.getSize() > MAX_BYTES) {
            throw JsonFields.invalid("file", "at most " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        return new String(file.getBytes(), StandardCharsets.UTF_8);
    }

    private final TransactionTemplate tx;
    private final PanelAdvice advice;

    CsvImport(PlatformTransactionManager transactions, PanelAdvice advice) {
        this.tx = new TransactionTemplate(transactions);
        this.advice = advice;
    }

    /** One data row by column name (lower case), with its line number in the file. */
    public record Row(int line, Map<String, String> cells) {
        public @Nullable String get(String column) {
            String value = cells.get(column);
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    /** A row's outcome: the summary the action returned, or the error. */
    public record RowResult(int line, Map<String, String> cells, @Nullable String outcome, @Nullable String error) {}

    /** The outcome of a preview or commit. */
    public record Result(List<String> columns, List<RowResult> rows, boolean committed, @Nullable String error) {
        public long errors() {
            return rows.stream().filter(r -> r.error() != null).count() + (error == null ? 0 : 1);
        }
    }

    /** What an import does with one row; returns a short summary (e.g. the key created). */
    @FunctionalInterface
    public interface RowAction {
        String apply(Row row);
    }

    /** What an import form posts: a file or pasted text, and whether to keep the rows or preview them. */
    public record Upload(@Nullable MultipartFile file, @Nullable String csv, boolean commit) {}

    /** What is imported: the kind's name and columns (shown on the page) and those it requires. */
    public record Kind(String name, List<String> columns, List<String> required) {}

    /** The empty import form of {@code kind}. */
    public static String form(Kind kind, Model model) {
        model.addAttribute("kind", kind.name());
        model.addAttribute("columns", kind.columns());
        return VIEW;
    }

    /**
     * Runs an upload's rows through {@code action}, as the import endpoints of the panel do: after a
     * commit in which every row succeeded, a flash message and a redirect to {@code done}; otherwise
     * the preview page with each row's outcome, which posts the same text back to commit.
     */
    public String page(
            Upload upload,
            Kind kind,
            String done,
            Locale locale,
            Model model,
            RedirectAttributes redirect,
            RowAction action)
            throws IOException {
        String text = text(upload.file(), upload.csv());
        Result result = run(text == null ? "" : text, kind.required(), upload.commit(), locale, action);
        if (result.committed()) {
            Flash.success(redirect, "panel.import.done", result.rows().size());
            return "redirect:" + done;
        }
        model.addAttribute("result", result);
        model.addAttribute("csv", text);
        return form(kind, model);
    }

    Result run(String csv, List<String> required, boolean commit, Locale locale, RowAction action) {
        List<List<String>> lines = Csv.parse(csv);
        if (lines.isEmpty()) {
            return new Result(List.of(), List.of(), false, "empty file");
        }
        List<String> header = lines.getFirst().stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .toList();
        List<String> missing =
                required.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            return new Result(header, List.of(), false, "missing columns: " + String.join(", ", missing));
        }
        if (lines.size() - 1 > MAX_ROWS) {
            return new Result(header, List.of(), false, "at most " + MAX_ROWS + " rows");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            Map<String, String> cells = new HashMap<>();
            List<String> line = lines.get(i);
            for (int c = 0; c < header.size() && c < line.size(); c++) {
                cells.put(header.get(c), line.get(c));
            }
            rows.add(new Row(i + 1, cells));
        }
        List<RowResult> results = new ArrayList<>();
        Boolean kept = tx.execute(status -> {
            for (Row row : rows) {
                try {
                    results.add(new RowResult(row.line(), row.cells(), action.apply(row), null));
                } catch (ApiException e) {
                    results.add(new RowResult(row.line(), row.cells(), null, advice.describe(e, locale)));
                }
            }
            boolean ok = results.stream().allMatch(r -> r.error() == null);
            if (!commit || !ok) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        });
        return new Result(header, results, Boolean.TRUE.equals(kept), null);
    }
}
