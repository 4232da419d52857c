package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Writes the committed {@code designation-list-template.xlsx}: the header row of {@link Column} on
 * the first sheet (the only one the reader reads) and a sheet 説明 describing each column.
 *
 * <p>Run it after changing {@link Column}, from the camel-routes folder:
 * {@code java -cp target/test-classes:target/classes:<test classpath> jp.nanbyo.fhir.routes.designation.TemplateWorkbookGenerator}.
 * {@code DesignationTemplatesTest} fails until the committed file agrees with {@link Column} again.
 */
public final class TemplateWorkbookGenerator {

    static final Path DEFAULT_OUTPUT =
            Path.of("src/main/resources/jp/nanbyo/fhir/routes/designation/template/designation-list-template.xlsx");
    static final String LIST_SHEET = "指定一覧";
    static final String HELP_SHEET = "説明";

    /** Typed as numbers, these would lose their leading zeros; the template formats them as text. */
    private static final Set<Column> TEXT_COLUMNS =
            Set.of(Column.PREFECTURE_CODE, Column.MEDICAL_INSTITUTION_CODE, Column.POSTAL_CODE, Column.PHONE);

    private static final Map<Column, List<String>> DESCRIPTIONS = descriptions();

    private static final List<List<String>> NOTES = List.of(
            List.of("1 ファイルは 1 つの都道府県の、現在有効な指定の一覧すべてです。一覧にない指定は終了したものとして扱われます。",
                    "One file is one prefecture's complete list of current designations; a designation missing from it is treated as ended."),
            List.of("読むのは最初のシートだけです。見出し行は最初の行に置き、列の順番は自由です。",
                    "Only the first sheet is read. The header row comes first; columns may be in any order."),
            List.of("数式とマクロは使えません。値として貼り付け、.xlsx または CSV（UTF-8 か Shift_JIS）で保存してください。",
                    "Formulas and macros are not accepted: paste values and save as .xlsx or CSV (UTF-8 or Shift_JIS)."));

    private TemplateWorkbookGenerator() {}

    public static void main(String[] args) throws IOException {
        Path output = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUTPUT;
        try (XSSFWorkbook workbook = workbook(); OutputStream out = Files.newOutputStream(output)) {
            workbook.write(out);
        }
        System.out.println("Wrote " + output.toAbsolutePath());
    }

    static XSSFWorkbook workbook() {
        XSSFWorkbook workbook = new XSSFWorkbook();
        CellStyle bold = workbook.createCellStyle();
        Font font = workbook.createFont();
        font.setBold(true);
        bold.setFont(font);
        writeListSheet(workbook, bold);
        writeHelpSheet(workbook, bold);
        return workbook;
    }

    private static void writeListSheet(XSSFWorkbook workbook, CellStyle bold) {
        Sheet sheet = workbook.createSheet(LIST_SHEET);
        CellStyle text = workbook.createCellStyle();
        text.setDataFormat(workbook.createDataFormat().getFormat("@"));
        Row header = sheet.createRow(0);
        for (Column column : Column.values()) {
            int index = column.ordinal();
            header.createCell(index).setCellValue(column.header());
            header.getCell(index).setCellStyle(bold);
            sheet.setColumnWidth(index, widthOf(column) * 256);
            if (TEXT_COLUMNS.contains(column)) {
                sheet.setDefaultColumnStyle(index, text);
            }
        }
        sheet.createFreezePane(0, 1);
    }

    private static int widthOf(Column column) {
        return switch (column) {
            case HOSPITAL_NAME, ADDRESS, NOTE -> 36;
            case ROLE -> 24;
            case MEDICAL_INSTITUTION_CODE, FIELD, START, END, REFERENCE_DATE, PHONE -> 16;
            default -> 12;
        };
    }

    private static void writeHelpSheet(XSSFWorkbook workbook, CellStyle bold) {
        Sheet sheet = workbook.createSheet(HELP_SHEET);
        List<String> titles = List.of("列名", "English", "必須 / required", "説明", "Description");
        Row header = sheet.createRow(0);
        for (int i = 0; i < titles.size(); i++) {
            header.createCell(i).setCellValue(titles.get(i));
            header.getCell(i).setCellStyle(bold);
        }
        int rowIndex = 1;
        for (Column column : Column.values()) {
            Row row = sheet.createRow(rowIndex++);
            row.createCell(0).setCellValue(column.header());
            row.createCell(1).setCellValue(String.join(", ", column.aliases()));
            row.createCell(2).setCellValue(column.required() ? "必須 / required" : "任意 / optional");
            row.createCell(3).setCellValue(DESCRIPTIONS.get(column).get(0));
            row.createCell(4).setCellValue(DESCRIPTIONS.get(column).get(1));
        }
        rowIndex++;
        for (List<String> note : NOTES) {
            Row row = sheet.createRow(rowIndex++);
            row.createCell(3).setCellValue(note.get(0));
            row.createCell(4).setCellValue(note.get(1));
        }
        List<Integer> widths = List.of(16, 28, 16, 70, 70);
        for (int i = 0; i < widths.size(); i++) {
            sheet.setColumnWidth(i, widths.get(i) * 256);
        }
    }

    private static Map<Column, List<String>> descriptions() {
        Map<Column, List<String>> map = new EnumMap<>(Column.class);
        map.put(Column.PREFECTURE_CODE, List.of("都道府県の番号（1〜47 または 01〜47）。1 ファイルに 1 都道府県だけ。例: 10（群馬県）",
                "Prefecture number (1-47 or 01-47); one prefecture per file. Example: 10 (Gunma)."));
        map.put(Column.MEDICAL_INSTITUTION_CODE, List.of(
                "10 桁（都道府県 2 + 点数表 1 + 7 桁）、9 桁（都道府県 2 + 7 桁、地方厚生局の一覧の形、医科とみなします）、"
                        + "または 7 桁。ハイフン・空白は無視します。例: 1017010016",
                "10 digits (prefecture 2 + fee table 1 + code 7), 9 digits (prefecture 2 + code 7, as regional health bureaus "
                        + "list them; read as medical) or 7 digits. Hyphens and spaces are ignored. Example: 1017010016."));
        map.put(Column.HOSPITAL_NAME, List.of("医療機関の名称。例: 群馬大学医学部附属病院", "Name of the hospital. Example: 群馬大学医学部附属病院."));
        map.put(Column.ROLE, List.of("指定の種類。例: 難病診療連携拠点病院、難病診療分野別拠点病院、難病医療協力病院",
                "The role designated. Example: 難病診療連携拠点病院 (hub), 難病診療分野別拠点病院 (field hub), 難病医療協力病院 (cooperating)."));
        map.put(Column.FIELD, List.of("分野別拠点病院の専門分野（例: 神経・筋疾患）。なければ空欄。", "Field of a field-specific hub (e.g. neuromuscular); blank if none."));
        map.put(Column.START, List.of("指定期間の初日。例: 2025-04-01、2025/4/1、令和7年4月1日、R7.4.1",
                "First day of the designation. Example: 2025-04-01, 2025/4/1, 令和7年4月1日, R7.4.1."));
        map.put(Column.END, List.of("指定期間の末日。決まっていなければ空欄。開始日より前は不可。",
                "Last day of the designation; blank if open-ended. Not before the start."));
        map.put(Column.SECONDARY_AREA, List.of("医療機関のある二次医療圏の名称。例: 前橋", "Secondary medical area of the hospital. Example: 前橋."));
        map.put(Column.POSTAL_CODE, List.of("7 桁。例: 371-8511", "7 digits. Example: 371-8511."));
        map.put(Column.ADDRESS, List.of("所在地の住所。", "Street address."));
        map.put(Column.PHONE, List.of("数字・ハイフン・括弧・+ だけ。例: 027-220-7111", "Digits, hyphens, parentheses and + only. Example: 027-220-7111."));
        map.put(Column.NOTE, List.of("自由記述。", "Free text."));
        map.put(Column.REFERENCE_DATE, List.of("この一覧がいつ時点のものか。最初の行に必須。2 行目以降は空欄でよく、書くなら同じ日付。",
                "The date on which this list is current. Required on the first row; later rows may leave it blank or repeat it."));
        return map;
    }
}
