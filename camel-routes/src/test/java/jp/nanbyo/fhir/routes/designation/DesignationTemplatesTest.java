package jp.nanbyo.fhir.routes.designation;

import static jp.nanbyo.fhir.routes.designation.DesignationListReaderTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Guards the shipped templates against drifting from {@link Column}. */
class DesignationTemplatesTest {

    private static final List<String> HEADERS = Arrays.stream(Column.values()).map(Column::header).toList();

    @Test
    void workbookTemplateHasTheColumnsInOrderInBold() throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(resource("designation-list-template.xlsx")))) {
            Row header = workbook.getSheetAt(0).getRow(0);
            assertThat(texts(header)).as("regenerate with TemplateWorkbookGenerator").isEqualTo(HEADERS);
            for (Cell cell : header) {
                assertThat(workbook.getFontAt(cell.getCellStyle().getFontIndex()).getBold()).isTrue();
                assertThat(cell.getSheet().getColumnWidth(cell.getColumnIndex())).isGreaterThan(10 * 256);
            }
            assertThat(workbook.getSheetAt(0).getLastRowNum()).as("header only").isZero();
        }
    }

    @Test
    void workbookTemplateDescribesEveryColumnOnItsSecondSheet() throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(resource("designation-list-template.xlsx")))) {
            Sheet help = workbook.getSheetAt(1);
            assertThat(help.getSheetName()).isEqualTo("説明");
            for (Column column : Column.values()) {
                Row row = help.getRow(column.ordinal() + 1);
                assertThat(row.getCell(0).getStringCellValue()).isEqualTo(column.header());
                assertThat(row.getCell(3).getStringCellValue()).as("Japanese description of " + column).isNotBlank();
                assertThat(row.getCell(4).getStringCellValue()).as("English description of " + column).isNotBlank();
            }
        }
    }

    @Test
    void csvTemplateIsTheHeaderRowInUtf8WithBom() {
        byte[] bytes = resource("designation-list-template.csv");
        assertThat(Arrays.copyOf(bytes, 3)).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThat(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)).isEqualTo(String.join(",", HEADERS) + "\r\n");
    }

    @Test
    void exampleUsesTheTemplateHeaderAfterItsProvenanceComment() {
        byte[] bytes = resource("example-gunma.csv");
        String[] lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines[0]).startsWith("# ").contains("nanbyou.or.jp", "2025-08-09", "2025-03-18");
        assertThat(lines[1]).isEqualTo(String.join(",", HEADERS));
    }

    @Test
    void readerAcceptsBothTemplatesAndAsksOnlyForRows() {
        DesignationListReader reader = new DesignationListReader(1024 * 1024);
        for (String template : List.of("designation-list-template.xlsx", "designation-list-template.csv")) {
            assertThat(reader.read(template, resource(template)).problems()).as(template).singleElement()
                    .satisfies(problem -> assertThat(problem.reasonEn()).contains("no designations"));
        }
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        row.forEach(cell -> texts.add(cell.getStringCellValue()));
        return texts;
    }
}
