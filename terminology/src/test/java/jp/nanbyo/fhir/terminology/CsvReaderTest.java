package jp.nanbyo.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void readsQuotedFieldsWithCommasAndDoubledQuotes() {
        CsvTable table = CsvReader.parse("t.csv", """
                # provenance
                code,name,note
                1,"Acute encephalitis with refractory, repetitive partial seizures","say ""hi"", twice"
                """);

        assertThat(table.rows()).singleElement().satisfies(row -> {
            assertThat(row.get("name")).isEqualTo("Acute encephalitis with refractory, repetitive partial seizures");
            assertThat(row.get("note")).isEqualTo("say \"hi\", twice");
        });
    }

    @Test
    void skipsTheByteOrderMarkAndKeepsTheProvenanceComment() {
        CsvTable table = CsvReader.parse("t.csv", "\uFEFF# from MHLW, 2025-04-01 \"as listed\"\ncode,name\n01,北海道\n");

        assertThat(table.provenance()).containsExactly("from MHLW, 2025-04-01 \"as listed\"");
        assertThat(table.header()).containsExactly("code", "name");
        assertThat(table.rows()).singleElement().extracting(row -> row.get("code")).isEqualTo("01");
    }

    @Test
    void readsAHeaderWithAByteOrderMarkButNoComment() {
        CsvTable table = CsvReader.parse("t.csv", "\uFEFFcode,name\n01,北海道\n");

        assertThat(table.provenance()).isEmpty();
        assertThat(table.rows()).singleElement().extracting(row -> row.get("code")).isEqualTo("01");
    }

    @Test
    void keepsLeadingZerosReadsCrlfAndSkipsBlankLines() {
        CsvTable table = CsvReader.parse("t.csv", "# c\r\ncode,name\r\n0101,南渡島\r\n\r\n0102,南檜山");

        assertThat(table.rows()).extracting(row -> row.get("code")).containsExactly("0101", "0102");
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(3, 5);
    }

    @Test
    void countsLinesInsideQuotedFieldsForErrorMessages() {
        CsvTable table = CsvReader.parse("t.csv", "code,note\n1,\"two\nlines\"\n2,x\n");

        assertThat(table.rows().get(0).get("note")).isEqualTo("two\nlines");
        assertThat(table.rows().get(1).where()).isEqualTo("t.csv:4");
    }

    @Test
    void rejectsARowWithTheWrongNumberOfFields() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CsvReader.parse("t.csv", "# c\ncode,name\n1,a\n2,b,unquoted, comma\n"))
                .withMessage("t.csv:4: expected 2 fields as in the header, found 4");
    }

    @Test
    void rejectsAQuoteThatIsNeverClosed() {
        assertThatIllegalArgumentException().isThrownBy(() -> CsvReader.parse("t.csv", "code,name\n1,\"open\n"))
                .withMessageContaining("t.csv:2");
    }

    @Test
    void namesTheColumnAFileLacks() {
        CsvTable.Row row = CsvReader.parse("t.csv", "code\n1\n").rows().get(0);

        assertThatIllegalArgumentException().isThrownBy(() -> row.get("display")).withMessageContaining("display");
        assertThat(row.getOrEmpty("display")).isEmpty();
    }
}
