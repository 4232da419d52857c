package jp.nanbyo.fhir.routes.designation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Turns the bytes of one prefecture's designation list (CSV in UTF-8 or Shift_JIS, or .xlsx) into
 * validated rows, or into every problem found, each with the row and column the operator must fix.
 *
 * <p>Only the form of values is checked here; whether a role, field or 二次医療圏 is known is a
 * question for the terminology, so those stay trimmed text.
 */
public final class DesignationListReader {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] OLE2_MAGIC = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0};
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
    private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};
    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
    private static final Pattern QUOTED_OR_BRACKETED = Pattern.compile("\"[^\"]*\"|\\[[^\\]]*]");
    private static final Pattern ERA_CODES = Pattern.compile("[ge]");
    private static final BigDecimal MEGABYTE = BigDecimal.valueOf(1024L * 1024L);

    /** Far more than a prefecture designates (Gunma: 74 hospitals); what one transaction could apply is less still. */
    public static final int DEFAULT_MAXIMUM_ROWS = 5_000;
    /** Images and other parts of a workbook that POI holds as bytes, not parsed, may unpack to this many times the file limit. */
    private static final int UNPACKED_PARTS_PER_FILE_LIMIT = 4;

    private final long maximumBytes;
    private final int maximumRows;
    private final Semaphore oneAtATime = new Semaphore(1, true);

    public DesignationListReader(long maximumBytes) {
        this(maximumBytes, DEFAULT_MAXIMUM_ROWS);
    }

    /**
     * @param maximumBytes the largest file read; also the most XML a workbook may unpack to
     * @param maximumRows the most rows a list may have, blank rows not counted: each row is held and checked, and a
     *     file of many short rows (403,290 in 10 MB) ran the server out of memory with its problems
     */
    public DesignationListReader(long maximumBytes, int maximumRows) {
        if (maximumBytes <= 0 || maximumRows <= 0) {
            throw new IllegalArgumentException("maximumBytes and maximumRows must be positive: " + maximumBytes + ", " + maximumRows);
        }
        this.maximumBytes = maximumBytes;
        this.maximumRows = maximumRows;
    }

    /**
     * One file at a time: a workbook's sheets are held whole while they are read, up to about 14 times the file
     * limit in heap (140 MB at 10 MB), which the limits above allow for one but not for several at once (measured:
     * four such workbooks uploaded together ran a {@code -Xmx768m} server out of memory). A file takes seconds at
     * most to read; the rest of an import (the directory's reads and the transaction) runs after it, side by side.
     */
    public ReadResult read(String fileName, byte[] content) {
        Objects.requireNonNull(content, "content");
        if (content.length > maximumBytes) {
            return ReadResult.rejected(List.of(tooLarge(content.length)));
        }
        oneAtATime.acquireUninterruptibly();
        try {
            return new Validation(sheetOf(Objects.requireNonNullElse(fileName, ""), content)).run();
        } catch (Rejected rejected) {
            return ReadResult.rejected(List.of(rejected.problem));
        } finally {
            oneAtATime.release();
        }
    }

    /** Reads waiting for the one under way. */
    int waitingToRead() {
        return oneAtATime.getQueueLength();
    }

    /** The problem of a file of {@code size} bytes, over the limit; a negative size when it is not known (sent in chunks). */
    ImportProblem tooLarge(long size) {
        String limit = megabytes(maximumBytes);
        String ja;
        String en;
        if (size < 0) {
            ja = "ファイルが上限 " + limit + " MB を超えています。";
            en = "The file is over the limit of " + limit + " MB. ";
        } else {
            String actual = megabytes(size);
            ja = "ファイルが大きすぎます（" + actual + " MB、上限 " + limit + " MB）。";
            en = "The file is too large (" + actual + " MB; the limit is " + limit + " MB). ";
        }
        return ImportProblem.ofFile(ja + "不要なシート・画像・書式を削除して上限以下にしてから送り直してください。",
                en + "Remove unneeded sheets, images or formatting to bring it under the limit, and send it again.");
    }

    private static String megabytes(long bytes) {
        return BigDecimal.valueOf(bytes).divide(MEGABYTE, new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------------------------------------
    // From bytes to a sheet of text cells: the format is told by content, never by file name.

    /** A cell as read: its text, whether it came from a number (leading zeros lost), its formula. */
    private record Cell(String text, boolean numeric, String formula) {
        static final Cell BLANK = new Cell("", false, null);

        static Cell text(String text) {
            return new Cell(text, false, null);
        }

        boolean blank() {
            return formula == null && normalise(text).isEmpty();
        }
    }

    /** A row as the operator numbers it (CSV line of the record's start, Excel row number). */
    private record SheetRow(int number, List<Cell> cells) {
        Cell cell(int index) {
            return index < cells.size() ? cells.get(index) : Cell.BLANK;
        }

        boolean blank() {
            return cells.stream().allMatch(Cell::blank);
        }

        /** A comment line before the header: its first non-blank cell starts with '#'. */
        boolean comment() {
            return cells.stream().filter(cell -> !cell.blank()).findFirst()
                    .map(cell -> cell.text().strip().startsWith("#")).orElse(false);
        }
    }

    /** The rows read, how the text was decoded (null for a workbook), and any damage found on the way. */
    private record Sheet(List<SheetRow> rows, String encoding, List<ImportProblem> problems) {}

    private record Decoded(String text, String encoding) {}

    /** A problem that stops reading the file. */
    private static final class Rejected extends Exception {
        private final transient ImportProblem problem;

        Rejected(String reasonJa, String reasonEn) {
            this(ImportProblem.ofFile(reasonJa, reasonEn));
        }

        Rejected(ImportProblem problem) {
            super(problem.reasonEn(), null, false, false);
            this.problem = problem;
        }
    }

    private Sheet sheetOf(String fileName, byte[] content) throws Rejected {
        if (content.length == 0) {
            throw emptyFile();
        }
        if (startsWith(content, ZIP_MAGIC)) {
            return workbookSheet(content);
        }
        if (startsWith(content, OLE2_MAGIC)) {
            throw oldOrProtectedWorkbook(content);
        }
        if (fileName.toLowerCase(Locale.ROOT).matches(".*\\.xls[xm]$")) {
            throw notAWorkbook();
        }
        return csvSheet(content);
    }

    private static boolean startsWith(byte[] content, byte[] magic) {
        return content.length >= magic.length && Arrays.equals(content, 0, magic.length, magic, 0, magic.length);
    }

    private static Rejected emptyFile() {
        return new Rejected("ファイルが空です。テンプレートの見出し行と、指定 1 件につき 1 行を入れて送り直してください。",
                "The file is empty. Fill in the template's header row and one row per designation, and send it again.");
    }

    private static Rejected notAWorkbook() {
        return new Rejected("Excel ブックとして開けません（壊れているか、Excel のファイルではありません）。"
                        + "Excel で開けることを確かめ、.xlsx または CSV で保存し直してください。",
                "The file cannot be opened as an Excel workbook (it is damaged or not a workbook). "
                        + "Check that it opens in Excel, then save it again as .xlsx or CSV.");
    }

    /** OLE2 is the old .xls format, and also the wrapper of a password-protected .xlsx. */
    private static Rejected oldOrProtectedWorkbook(byte[] content) {
        try (POIFSFileSystem ole2 = new POIFSFileSystem(new ByteArrayInputStream(content))) {
            if (ole2.getRoot().hasEntry("EncryptionInfo")) {
                return new Rejected("パスワードで保護されたブックは読めません。パスワードを解除して保存し直してください。",
                        "Password-protected workbooks cannot be read. Remove the password, save, and send the file again.");
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not even a readable OLE2 file: the .xls advice below still applies.
        }
        return new Rejected("古い Excel 形式（.xls）には対応していません。Excel で .xlsx または CSV として保存し直してください。",
                "The old Excel format (.xls) is not accepted. Save the file as .xlsx or CSV in Excel and send it again.");
    }

    // --- xlsx ---

    private Sheet workbookSheet(byte[] content) throws Rejected {
        inspectArchive(content);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(content))) {
            if (workbook.getNumberOfSheets() == 0) {
                throw emptyFile();
            }
            return new Sheet(rowsOf(workbook.getSheetAt(0)), null, List.of());
        } catch (IOException | RuntimeException damaged) {
            throw notAWorkbook();
        }
    }

    /**
     * Before POI opens a workbook, which unpacks every part into memory and parses each XML part whole (about 14 bytes
     * of heap per byte of sheet XML, measured: a 1 MB workbook of 93 MB of sheet XML ran the server out of memory):
     * no macros, at most {@code maximumBytes} of XML and {@value #UNPACKED_PARTS_PER_FILE_LIMIT} times that in all.
     * Counted by unpacking, as POI will, not from the sizes the archive announces, which a crafted one can falsify.
     */
    private void inspectArchive(byte[] content) throws Rejected {
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(content)).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            for (ZipArchiveEntry entry : entries) {
                if (entry.getName().equalsIgnoreCase("xl/vbaProject.bin")) {
                    throw new Rejected("マクロを含むブック（.xlsm）は受け付けません。マクロなしの .xlsx か CSV で保存し直してください。",
                            "Workbooks with macros (.xlsm) are not accepted. Save the file as a macro-free .xlsx or as CSV and send it again.");
                }
            }
            long xml = 0;
            long all = 0;
            byte[] buffer = new byte[64 * 1024];
            for (ZipArchiveEntry entry : entries) {
                boolean parsed = entry.getName().toLowerCase(Locale.ROOT).matches(".*\\.(xml|rels|vml)$");
                try (InputStream part = zip.getInputStream(entry)) {
                    for (int n = part.read(buffer); n >= 0; n = part.read(buffer)) {
                        xml += parsed ? n : 0;
                        all += n;
                        if (xml > maximumBytes || all > UNPACKED_PARTS_PER_FILE_LIMIT * maximumBytes) {
                            throw unpacksTooLarge();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException damaged) {
            throw notAWorkbook();
        }
    }

    private Rejected unpacksTooLarge() {
        String xml = megabytes(maximumBytes);
        String all = megabytes(UNPACKED_PARTS_PER_FILE_LIMIT * maximumBytes);
        return new Rejected("ブックを展開すると大きすぎます（シートなどの XML が上限 " + xml + " MB、または全体が上限 " + all + " MB を超えます）。"
                        + "不要なシート・行・画像・書式を削除するか、CSV で保存し直して送ってください。",
                "The workbook is too large once unpacked (its sheets and other XML over the limit of " + xml + " MB, or all its"
                        + " parts over " + all + " MB). Remove unneeded sheets, rows, images or formatting, or save it as CSV,"
                        + " and send it again.");
    }

    /** Counted as rows are kept: blank rows are dropped, since only their numbers matter, which the others keep. */
    private void keep(List<SheetRow> rows, SheetRow row) throws Rejected {
        if (row.blank()) {
            return;
        }
        if (rows.size() == maximumRows + 1) { // the header besides
            throw new Rejected(String.format(Locale.ROOT, "一覧の行が多すぎます（空行を除いて %,d 行を超えています）。"
                            + "1 つの都道府県の一覧だけを送ってください。それでも多いときは運用担当に上限"
                            + " (nanbyo.designation-import.maximum-rows) の引き上げを相談してください。", maximumRows),
                    String.format(Locale.ROOT, "The list has too many rows: more than %,d besides blank ones. Send one"
                            + " prefecture's list only; if it is still too long, ask the operators to raise the limit"
                            + " (nanbyo.designation-import.maximum-rows).", maximumRows));
        }
        rows.add(row);
    }

    private List<SheetRow> rowsOf(XSSFSheet sheet) throws Rejected {
        List<SheetRow> rows = new ArrayList<>();
        for (Row row : sheet) {
            List<Cell> cells = new ArrayList<>();
            for (int column = 0; column < row.getLastCellNum(); column++) {
                cells.add(cellOf((XSSFCell) row.getCell(column)));
            }
            keep(rows, new SheetRow(row.getRowNum() + 1, cells));
        }
        return rows;
    }

    private static Cell cellOf(XSSFCell cell) {
        if (cell == null) {
            return Cell.BLANK;
        }
        return switch (cell.getCellType()) {
            // Even with a cached value: the list must hold what the prefecture decided, not a calculation.
            case FORMULA -> new Cell("", false, "=" + cell.getCellFormula());
            case STRING -> Cell.text(cell.getStringCellValue());
            case NUMERIC -> DateUtil.isCellDateFormatted(cell) || eraDateFormatted(cell)
                    ? Cell.text(cell.getLocalDateTimeCellValue().toLocalDate().toString())
                    : new Cell(BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString(), true, null);
            case BOOLEAN -> Cell.text(String.valueOf(cell.getBooleanCellValue()));
            case ERROR -> Cell.text(cell.getErrorCellString());
            default -> Cell.BLANK;
        };
    }

    /**
     * Japanese Excel stores 令和7年4月1日 typed in a cell as a date with an era format, which POI does not
     * count as a date: the East Asian built-in formats 27-36 and 50-58 (ECMA-376 §18.8.30), or a
     * custom format with the era codes g/e such as {@code [$-411]ggge"年"m"月"d"日"}.
     */
    private static boolean eraDateFormatted(XSSFCell cell) {
        int index = cell.getCellStyle().getDataFormat();
        if (index >= 27 && index <= 36 || index >= 50 && index <= 58) {
            return true;
        }
        String format = Objects.requireNonNullElse(cell.getCellStyle().getDataFormatString(), "");
        String codes = QUOTED_OR_BRACKETED.matcher(format).replaceAll("").toLowerCase(Locale.ROOT);
        return ERA_CODES.matcher(codes).find() && codes.contains("m") && codes.contains("d") && !codes.matches(".*[0#].*");
    }

    // --- CSV ---

    private Sheet csvSheet(byte[] content) throws Rejected {
        Decoded decoded = decode(content);
        String text = decoded.text();
        if (text.isBlank()) {
            throw emptyFile();
        }
        List<SheetRow> rows = new ArrayList<>();
        List<ImportProblem> problems = new ArrayList<>();
        int nextLine = 1;
        try (CSVParser parser = CSVParser.parse(blankLeadingComments(text), CSV)) {
            for (CSVRecord record : parser) {
                keep(rows, new SheetRow(nextLine, record.stream().map(Cell::text).toList()));
                nextLine = Math.toIntExact(parser.getCurrentLineNumber()) + 1;
            }
        } catch (IOException | UncheckedIOException broken) {
            problems.add(new ImportProblem(nextLine, "", "",
                    nextLine + " 行目から CSV として読めません。値の中の \" は \"\" と書き、カンマや改行を含む値は \" で囲んでください。",
                    "From line " + nextLine + " on, the file is not valid CSV. Write a double quote inside a value as \"\" "
                            + "and enclose values containing commas or line breaks in double quotes."));
        }
        return new Sheet(rows, decoded.encoding(), problems);
    }

    /** Returns the text and the name of its encoding; the order of tries is what Japanese offices send. */
    private static Decoded decode(byte[] content) throws Rejected {
        if (startsWith(content, UTF16LE_BOM) || startsWith(content, UTF16BE_BOM)) {
            throw new Rejected("UTF-16 の文字コードには対応していません。UTF-8 または Shift_JIS で保存し直してください（Excel なら「CSV UTF-8 (コンマ区切り)」）。",
                    "UTF-16 text is not accepted. Save the file again as UTF-8 or Shift_JIS (in Excel: \"CSV UTF-8 (Comma delimited)\").");
        }
        if (startsWith(content, UTF8_BOM)) {
            String text = strictly(StandardCharsets.UTF_8, Arrays.copyOfRange(content, UTF8_BOM.length, content.length));
            if (text == null) {
                throw new Rejected("UTF-8 の BOM で始まっていますが、UTF-8 として読めないバイトがあります。UTF-8 で保存し直してください。",
                        "The file starts with a UTF-8 byte-order mark but contains bytes that are not UTF-8. Save it again as UTF-8.");
            }
            return new Decoded(text, "UTF-8");
        }
        String utf8 = strictly(StandardCharsets.UTF_8, content);
        if (utf8 != null) {
            return new Decoded(utf8, "UTF-8");
        }
        String shiftJis = strictly(WINDOWS_31J, content);
        if (shiftJis != null) {
            return new Decoded(shiftJis, "Shift_JIS");
        }
        throw new Rejected("文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）。UTF-8 または Shift_JIS で保存し直してください。",
                "Unknown encoding: the file is neither UTF-8 nor Shift_JIS. Save it again as UTF-8 or Shift_JIS.");
    }

    private static String strictly(Charset charset, byte[] bytes) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notThisCharset) {
            return null;
        }
    }

    /**
     * Empties '#' comment lines before the header but keeps their line breaks, so that line numbers
     * stay the ones the operator sees, and a quote inside a comment cannot confuse the CSV parser.
     */
    private static String blankLeadingComments(String text) {
        StringBuilder result = new StringBuilder(text.length());
        int start = 0;
        while (start < text.length()) {
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(start, end);
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                break;
            }
            int next = end < text.length() && text.startsWith("\r\n", end) ? end + 2 : Math.min(end + 1, text.length());
            result.append(text, end, next);
            start = next;
        }
        return result.append(text, start, text.length()).toString();
    }

    // ---------------------------------------------------------------------------------------------
    // From a sheet to validated rows: one pass that collects every problem.

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    // Dashes that Japanese text uses between digits, after NFKC (which already maps 全角 hyphen-minus).
    private static final Pattern DASHES = Pattern.compile("[\\u2010-\\u2015\\u2212\\u30FC]");
    private static final Pattern CODE_SEPARATORS = Pattern.compile("[-.\\s]");
    private static final Pattern POSTAL_CODE = Pattern.compile("〒?\\s*(\\d{3})-?(\\d{4})");
    private static final Pattern PHONE = Pattern.compile("[0-9()+\\-]+");

    /** The state of reading one sheet: header, rows kept, what the file-wide checks saw first. */
    private static final class Validation {
        private final Sheet sheet;
        private final List<ImportProblem> problems = new ArrayList<>();
        private final Map<Column, Integer> indexOf = new EnumMap<>(Column.class);
        private final Set<Integer> headedColumns = new HashSet<>();
        private final List<DesignationRow> designations = new ArrayList<>();
        private final List<ReadResult.Named> namedByRowsWithProblems = new ArrayList<>();
        private final Map<List<Object>, Integer> rowOfKey = new HashMap<>();
        private String prefecture;
        private int prefectureRow;
        private LocalDate referenceDate;
        private int referenceDateRow;
        /** No problem before the data rows: each row's values can be read from its cells. */
        private boolean headerClean;

        Validation(Sheet sheet) {
            this.sheet = sheet;
            problems.addAll(sheet.problems());
        }

        ReadResult run() throws Rejected {
            List<SheetRow> rows = sheet.rows();
            int header = headerIndex(rows);
            if (header < 0) {
                // Nothing but comments, or CSV broken before its header: nothing more to say.
                if (problems.isEmpty()) {
                    throw emptyFile();
                }
                return ReadResult.rejected(problems);
            }
            readHeader(rows.get(header));
            // A problem of the header or of the sheet itself leaves every row's values unreliable (a column missing).
            headerClean = problems.isEmpty();
            int dataRows = 0;
            for (SheetRow row : rows.subList(header + 1, rows.size())) {
                if (!row.blank()) {
                    new RowCheck(row, dataRows++ == 0).run();
                }
            }
            if (dataRows == 0 && sheet.problems().isEmpty()) {
                // With a problem of the sheet itself (a quote never closed swallows the rows after it), that one says why.
                problems.add(ImportProblem.ofFile("見出し行の後に指定の行がありません。指定 1 件につき 1 行を書いてください。",
                        "There are no designations after the header row. Add one row per designation."));
            }
            if (!problems.isEmpty()) {
                problems.sort(Comparator.comparingInt(ImportProblem::row));
                DesignationList wellFormed = headerClean && prefecture != null && referenceDate != null && !designations.isEmpty()
                        ? new DesignationList(prefecture, referenceDate, designations) : null;
                return ReadResult.rejected(problems, new ReadResult.Read(prefecture, referenceDate, dataRows), wellFormed,
                        prefecture != null ? namedByRowsWithProblems : List.of());
            }
            return ReadResult.of(new DesignationList(prefecture, referenceDate, designations));
        }

        /** The first row that is neither blank nor a comment, or -1. */
        private static int headerIndex(List<SheetRow> rows) {
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).blank() && !rows.get(i).comment()) {
                    return i;
                }
            }
            return -1;
        }

        private void readHeader(SheetRow header) throws Rejected {
            List<String> unknown = new ArrayList<>();
            for (int index = 0; index < header.cells().size(); index++) {
                Cell cell = header.cell(index);
                if (cell.blank()) {
                    continue;
                }
                headedColumns.add(index);
                String text = normalise(cell.text());
                if (cell.formula() != null) {
                    problems.add(formula(header.number(), "", cell));
                } else {
                    Column column = Column.forHeader(text).orElse(null);
                    if (column == null) {
                        unknown.add(cell.text());
                    } else if (indexOf.containsKey(column)) {
                        problems.add(duplicateHeader(header.number(), column, cell.text(), indexOf.get(column), index));
                    } else {
                        indexOf.put(column, index);
                    }
                }
            }
            if (indexOf.isEmpty()) {
                throw noKnownHeader(header.number());
            }
            unknown.forEach(text -> problems.add(unknownHeader(header.number(), text)));
            Column.requiredColumns().filter(column -> !indexOf.containsKey(column))
                    .forEach(column -> problems.add(missingColumn(header.number(), column)));
        }

        private Rejected noKnownHeader(int row) {
            if (sheet.encoding() == null) {
                return new Rejected(new ImportProblem(row, "", "",
                        row + " 行目の見出しに、使える列名がひとつもありません。最初のシートの最初の行にテンプレートの見出し行を入れてください。",
                        "The header row (row " + row + ") contains none of the accepted column names. "
                                + "Put the template's header row at the top of the first sheet."));
            }
            // Decoding succeeded, yet nothing matches: typically EUC-JP read as Shift_JIS, or a file of another kind.
            return new Rejected(new ImportProblem(row, "", "",
                    row + " 行目の見出しに、使える列名がひとつもありません。文字コードが違う（" + sheet.encoding() + " として読みました）か、"
                            + "テンプレートの形式ではありません。テンプレートを使い、UTF-8 または Shift_JIS のカンマ区切り CSV で保存してください。",
                    "The header row (line " + row + ") contains none of the accepted column names: the file may be in another encoding "
                            + "(it was read as " + sheet.encoding() + ") or not made from the template. "
                            + "Use the template and save it as comma-separated CSV in UTF-8 or Shift_JIS."));
        }

        /** Checks one data row; keeps it only when it has no problem. */
        private final class RowCheck {
            private final SheetRow row;
            private final boolean first;

            RowCheck(SheetRow row, boolean first) {
                this.row = row;
                this.first = first;
            }

            void run() {
                int problemsBefore = problems.size();
                reportFormulas();
                reportUnheadedValues();
                String prefectureCode = prefectureCode();
                String code = institutionCode(prefectureCode);
                String name = required(Column.HOSPITAL_NAME);
                String role = required(Column.ROLE);
                String field = optional(Column.FIELD);
                LocalDate start = date(Column.START);
                LocalDate end = date(Column.END);
                if (start != null && end != null && end.isBefore(start)) {
                    problem(Column.END, raw(Column.END),
                            "指定終了日 " + end + " が指定開始日 " + start + " より前です。日付を確かめて直してください。",
                            "The end date " + end + " is before the start date " + start + ". Check and correct the dates.");
                }
                String area = optional(Column.SECONDARY_AREA);
                String postalCode = postalCode();
                String address = optional(Column.ADDRESS);
                String phone = phone();
                String note = optional(Column.NOTE);
                checkReferenceDate();
                checkDuplicate(code, role, field, start);
                // Kept when the row and the header are sound: all of a list, or its well-formed rows if other rows are not.
                if (headerClean && problems.size() == problemsBefore) {
                    designations.add(new DesignationRow(row.number(), prefectureCode, code, name, role, field, start, end,
                            area, postalCode, address, phone, note));
                } else if (headerClean) {
                    namedByRowsWithProblems.add(new ReadResult.Named(row.number(), role, field, area));
                }
            }

            private void reportFormulas() {
                for (int index = 0; index < row.cells().size(); index++) {
                    Cell cell = row.cell(index);
                    if (cell.formula() != null) {
                        problems.add(formula(row.number(), headerAt(index), cell));
                    }
                }
            }

            /** A value under a blank header is usually a shifted row (an unquoted comma in CSV). */
            private void reportUnheadedValues() {
                for (int index = 0; index < row.cells().size(); index++) {
                    Cell cell = row.cell(index);
                    if (!headedColumns.contains(index) && !cell.blank() && cell.formula() == null) {
                        problems.add(new ImportProblem(row.number(), "", cell.text(),
                                "見出しのない列に値があります。値を正しい列に移すか、不要なら消してください（CSV ではカンマを含む値を \" で囲みます）。",
                                "There is a value in a column without a header. Move it to the right column or delete it "
                                        + "(in CSV, enclose values containing commas in double quotes)."));
                    }
                }
            }

            private String prefectureCode() {
                String value = required(Column.PREFECTURE_CODE);
                if (value == null) {
                    return null;
                }
                if (!value.matches("\\d{1,2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 47) {
                    problem(Column.PREFECTURE_CODE, raw(Column.PREFECTURE_CODE),
                            "都道府県コードは 1〜47（または 01〜47）の数字で書いてください。",
                            "Write the prefecture code as a number from 1 to 47 (or 01 to 47).");
                    return null;
                }
                String code = value.length() == 1 ? "0" + value : value;
                if (prefecture == null) {
                    prefecture = code;
                    prefectureRow = row.number();
                } else if (!prefecture.equals(code)) {
                    problem(Column.PREFECTURE_CODE, raw(Column.PREFECTURE_CODE),
                            "この行の都道府県コード " + code + " は、ファイルの都道府県コード " + prefecture + "（" + prefectureRow
                                    + " 行目）と違います。1 つのファイルには 1 つの都道府県の指定だけを入れてください。",
                            "This row's prefecture code " + code + " differs from the file's prefecture code " + prefecture + " (row "
                                    + prefectureRow + "). Put only one prefecture's designations in one file.");
                }
                return code;
            }

            private String institutionCode(String prefectureCode) {
                String value = required(Column.MEDICAL_INSTITUTION_CODE);
                if (value == null) {
                    return null;
                }
                String digits = CODE_SEPARATORS.matcher(DASHES.matcher(value).replaceAll("-")).replaceAll("");
                if (cell(Column.MEDICAL_INSTITUTION_CODE).numeric()) {
                    digits = restoreLeadingZero(digits, prefectureCode);
                }
                if (!DIGITS.matcher(digits).matches() || !List.of(10, 9, 7).contains(digits.length())) {
                    problem(Column.MEDICAL_INSTITUTION_CODE, raw(Column.MEDICAL_INSTITUTION_CODE),
                            "医療機関コードの形が正しくありません。10 桁（都道府県 2 桁 + 点数表 1 桁 + 7 桁）、"
                                    + "9 桁（都道府県 2 桁 + 7 桁）、または 7 桁で書いてください（ハイフン・空白・ピリオドは無視します）。",
                            "The medical institution code has the wrong form. Write it as 10 digits (prefecture 2 + fee table 1 + code 7), "
                                    + "9 digits (prefecture 2 + code 7) or 7 digits; hyphens, spaces and dots are ignored.");
                    return null;
                }
                if (digits.length() == 7 && prefectureCode == null) {
                    return null; // the row's prefecture problem says enough
                }
                String code = switch (digits.length()) {
                    case 10 -> digits;
                    case 9 -> digits.substring(0, 2) + "1" + digits.substring(2); // 医科, as 地方厚生局 lists mean
                    default -> prefectureCode + "1" + digits;
                };
                return checkedInstitutionCode(code, prefectureCode);
            }

            /** A number cell drops leading zeros: 0117010016 arrives as 117010016. */
            private String restoreLeadingZero(String digits, String prefectureCode) {
                boolean prefectureStartsWithZero = prefectureCode != null && prefectureCode.startsWith("0");
                if (prefectureStartsWithZero && (digits.length() == 9 || digits.length() == 8) || digits.length() == 6) {
                    return "0" + digits;
                }
                return digits;
            }

            private String checkedInstitutionCode(String code, String prefectureCode) {
                int before = problems.size();
                String prefecturePart = code.substring(0, 2);
                String value = raw(Column.MEDICAL_INSTITUTION_CODE);
                if (Integer.parseInt(prefecturePart) < 1 || Integer.parseInt(prefecturePart) > 47) {
                    problem(Column.MEDICAL_INSTITUTION_CODE, value,
                            "医療機関コードの都道府県部分 " + prefecturePart + " は 01〜47 ではありません。コードを確かめて直してください。",
                            "The prefecture part " + prefecturePart + " of the medical institution code is not 01 to 47. Check and correct the code.");
                } else if (prefectureCode != null && !prefecturePart.equals(prefectureCode)) {
                    problem(Column.MEDICAL_INSTITUTION_CODE, value,
                            "医療機関コードの都道府県部分 " + prefecturePart + " が、この行の都道府県コード " + prefectureCode
                                    + " と違います。コードを確かめて直してください（先頭の 0 が落ちていないかも確かめてください）。",
                            "The prefecture part " + prefecturePart + " of the medical institution code differs from this row's prefecture code "
                                    + prefectureCode + ". Check and correct the code (and that no leading zero was lost).");
                }
                char feeTable = code.charAt(2);
                if (feeTable != '1' && feeTable != '3') {
                    problem(Column.MEDICAL_INSTITUTION_CODE, value,
                            "医療機関コードの点数表番号（10 桁の 3 桁目）が " + feeTable + " です。1（医科）か 3（歯科）のはずです。コードを確かめて直してください。",
                            "The fee-table digit of the medical institution code (third of ten) is " + feeTable
                                    + "; it must be 1 (medical) or 3 (dental). Check and correct the code.");
                }
                return problems.size() == before ? code : null;
            }

            private LocalDate date(Column column) {
                String value = column.required() ? required(column) : optional(column);
                if (value == null || value.isEmpty()) {
                    return null;
                }
                LocalDate date = JapaneseDates.parse(value).orElse(null);
                if (date == null) {
                    problem(column, raw(column),
                            "「" + raw(column) + "」は日付として読めないか、存在しない日付です。次のどれかの形で書いてください: " + JapaneseDates.ACCEPTED_FORMS + "。",
                            "\"" + raw(column) + "\" is not a valid date. Write it in one of these forms: " + JapaneseDates.ACCEPTED_FORMS + ".");
                }
                return date;
            }

            /** 基準日 may be given on the first data row only; every value given must agree. */
            private void checkReferenceDate() {
                if (!indexOf.containsKey(Column.REFERENCE_DATE)) {
                    return;
                }
                if (optional(Column.REFERENCE_DATE).isEmpty()) {
                    if (first && cell(Column.REFERENCE_DATE).formula() == null) {
                        problem(Column.REFERENCE_DATE, "",
                                "基準日が空です。少なくとも最初のデータ行に、この一覧がいつ時点のものかを基準日として書いてください。",
                                "The reference date is empty. Give it at least on the first data row: the date on which this list is current.");
                    }
                    return;
                }
                LocalDate date = date(Column.REFERENCE_DATE);
                if (date == null) {
                    return;
                }
                if (referenceDate == null) {
                    referenceDate = date;
                    referenceDateRow = row.number();
                } else if (!referenceDate.equals(date)) {
                    problem(Column.REFERENCE_DATE, raw(Column.REFERENCE_DATE),
                            "基準日 " + date + " が、" + referenceDateRow + " 行目の基準日 " + referenceDate
                                    + " と違います。ファイル全体で同じ基準日にしてください（2 行目以降は空でも構いません）。",
                            "The reference date " + date + " differs from " + referenceDate + " in row " + referenceDateRow
                                    + ". Use one reference date for the whole file (rows after the first may leave it blank).");
                }
            }

            private String postalCode() {
                String value = DASHES.matcher(optional(Column.POSTAL_CODE)).replaceAll("-");
                if (value.isEmpty()) {
                    return "";
                }
                if (cell(Column.POSTAL_CODE).numeric() && DIGITS.matcher(value).matches() && value.length() < 7) {
                    value = "0".repeat(7 - value.length()) + value; // 001-0010 typed as a number is 10010
                }
                Matcher postal = POSTAL_CODE.matcher(value);
                if (!postal.matches()) {
                    problem(Column.POSTAL_CODE, raw(Column.POSTAL_CODE),
                            "郵便番号は 7 桁の数字で書いてください（例: 371-8511、3718511、〒371-8511）。",
                            "Write the postal code as 7 digits (for example 371-8511, 3718511 or 〒371-8511).");
                    return null;
                }
                return postal.group(1) + "-" + postal.group(2);
            }

            private String phone() {
                String value = DASHES.matcher(optional(Column.PHONE)).replaceAll("-");
                if (value.isEmpty()) {
                    return "";
                }
                if (!PHONE.matcher(value).matches()) {
                    problem(Column.PHONE, raw(Column.PHONE),
                            "電話番号には数字・ハイフン・括弧・+ だけを使ってください（例: 027-220-7111）。",
                            "Use only digits, hyphens, parentheses and + in the phone number (for example 027-220-7111).");
                    return null;
                }
                // Japanese numbers start with 0, which a number cell drops.
                return cell(Column.PHONE).numeric() ? "0" + value : value;
            }

            /** The same hospital, role, field and start twice is a copy-paste slip, not two designations. */
            private void checkDuplicate(String code, String role, String field, LocalDate start) {
                if (code == null || role == null || field == null || start == null) {
                    return;
                }
                Integer earlier = rowOfKey.putIfAbsent(List.of(code, role, field, start), row.number());
                if (earlier != null) {
                    problem(Column.MEDICAL_INSTITUTION_CODE, raw(Column.MEDICAL_INSTITUTION_CODE),
                            earlier + " 行目と同じ指定（医療機関コード・指定区分・専門分野・指定開始日）です。どちらかの行を削除してください。",
                            "This designation (medical institution code, role, field and start date) repeats row " + earlier
                                    + ". Remove one of the two rows.");
                }
            }

            /** The normalised value of a required column, or null after reporting it missing. */
            private String required(Column column) {
                String value = optional(column);
                if (value.isEmpty()) {
                    // A missing column was reported at the header, a formula where it stands.
                    if (indexOf.containsKey(column) && cell(column).formula() == null) {
                        problem(column, "", "「" + column.header() + "」が空です。値を入れてください。",
                                "The " + column.header() + " (" + column.aliases().get(0) + ") value is empty. Fill it in.");
                    }
                    return null;
                }
                return value;
            }

            /** The normalised value, "" when absent, blank or a formula (reported elsewhere). */
            private String optional(Column column) {
                Cell cell = cell(column);
                return cell.formula() != null ? "" : normalise(cell.text());
            }

            private Cell cell(Column column) {
                Integer index = indexOf.get(column);
                return index == null ? Cell.BLANK : row.cell(index);
            }

            private String raw(Column column) {
                return cell(column).text();
            }

            private void problem(Column column, String value, String reasonJa, String reasonEn) {
                problems.add(new ImportProblem(row.number(), column.header(), value, reasonJa, reasonEn));
            }
        }

        private String headerAt(int index) {
            return indexOf.entrySet().stream().filter(entry -> entry.getValue() == index)
                    .map(entry -> entry.getKey().header()).findFirst().orElse("");
        }
    }

    private static ImportProblem formula(int row, String column, Cell cell) {
        return new ImportProblem(row, column, cell.formula(), "数式は使えません。値として貼り付けてください。",
                "Formulas are not accepted; paste values only.");
    }

    private static ImportProblem duplicateHeader(int row, Column column, String text, int firstIndex, int index) {
        return new ImportProblem(row, column.header(), text,
                "列「" + column.header() + "」が 2 回あります（" + (firstIndex + 1) + " 列目と " + (index + 1) + " 列目）。どちらかを削除してください。",
                "The column " + column.header() + " (" + column.aliases().get(0) + ") appears twice (columns " + (firstIndex + 1)
                        + " and " + (index + 1) + "). Remove one of them.");
    }

    private static ImportProblem unknownHeader(int row, String text) {
        return new ImportProblem(row, "", text,
                "見出し「" + text.strip() + "」は使えない列名です。綴りを直すか、列を削除してください。使える列名: " + Column.acceptedHeaders() + "。",
                "\"" + text.strip() + "\" is not an accepted column header. Correct the spelling or remove the column. Accepted headers: "
                        + Column.acceptedHeaders() + ".");
    }

    private static ImportProblem missingColumn(int row, Column column) {
        return new ImportProblem(row, column.header(), "",
                "必須の列「" + column.header() + "」がありません。見出し行に追加してください。",
                "The required column " + column.header() + " (" + column.aliases().get(0) + ") is missing. Add it to the header row.");
    }

    private static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    }
}
