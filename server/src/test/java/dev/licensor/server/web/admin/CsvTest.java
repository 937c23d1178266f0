package dev.licensor.server.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
