package dev.licensor.server.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.licensor.server.web.PageResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void parsesQuotedCellsWithCommasQuotesAndLineBreaks() {
        List<List<String>> rows =
                Csv.parse("\uFEFFname,notes\r\n\"Navy, US\",\"said \"\"hi\"\"\nthen left\"\r\n\r\nx,\n");
        assertThat(rows)
                .containsExactly(
                        List.of("name", "notes"), List.of("Navy, US", "said \"hi\"\nthen left"), List.of("x", ""));
    }

    @Test
    void quotesWhatNeedsQuotingAndDefusesSpreadsheetFormulas() {
        assertThat(Csv.cell("Navy, US")).isEqualTo("\"Navy, US\"");
        assertThat(Csv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(Csv.cell("-5")).isEqualTo("-5");
        assertThat(Csv.cell(null)).isEmpty();
    }

    @Test
    void readsAPagedListOnePageAtATimeAsItIsWritten() {
        List<Integer> rows = IntStream.range(0, 1234).boxed().toList();
        List<Integer> asked = new ArrayList<>();
        Iterable<Integer> pages = Csv.pages(paging -> {
            asked.add(paging.page());
            int from = Math.min(paging.page() * paging.size(), rows.size());
            int to = Math.min(from + paging.size(), rows.size());
            return new PageResponse<>(rows.subList(from, to), paging.page(), paging.size(), rows.size());
        });
        Iterator<Integer> it = pages.iterator();
        assertThat(asked).isEmpty();
        assertThat(it.next()).isZero();
        assertThat(asked).containsExactly(0);

        List<Integer> all = new ArrayList<>(List.of(0));
        it.forEachRemaining(all::add);
        assertThat(all).isEqualTo(rows);
        assertThat(asked).containsExactly(0, 1, 2);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void stopsAfterTheMostPagesAskedForAndOnAnEmptyPage() {
        List<Integer> asked = new ArrayList<>();
        Iterable<Integer> endless = Csv.pages(
                paging -> {
                    asked.add(paging.page());
                    return new PageResponse<>(
                            Collections.nCopies(paging.size(), paging.page()), paging.page(), paging.size(), 1_000_000);
                },
                2);
        assertThat(endless).hasSize(2 * PageResponse.MAX_SIZE);
        assertThat(asked).containsExactly(0, 1);

        Iterable<Integer> shrunk = Csv.pages(paging -> new PageResponse<>(List.of(), paging.page(), paging.size(), 10));
        assertThat(shrunk).isEmpty();
    }
}
