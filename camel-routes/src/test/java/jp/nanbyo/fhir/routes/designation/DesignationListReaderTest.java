package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DesignationListReaderTest {

    static final String TEMPLATES = "template/";
    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final DesignationListReader reader = new DesignationListReader(10L * 1024 * 1024);

    // ---------------------------------------------------------------------------------------------
    // The shipped example, in every format a prefecture may send

    @Nested
    class ShippedExample {

        private final DesignationList expected = readOk("example-gunma.csv", resource("example-gunma.csv"));

        @Test
        void readsGunmasSeventyFourDesignations() {
            assertThat(expected.prefectureCode()).isEqualTo("10");
            assertThat(expected.referenceDate()).isEqualTo(LocalDate.of(2026, 9, 1));
            assertThat(expected.rows()).hasSize(74);
            assertThat(expected.rows()).filteredOn(row -> row.role().equals("難病医療協力病院")).hasSize(73)
                    .allSatisfy(row -> assertThat(row.start()).isEqualTo(LocalDate.of(2025, 7, 1)));
        }

        @Test
        void readsTheHubAndItsPeriod() {
            DesignationRow hub = expected.rows().get(0);
            assertThat(hub.row()).as("line 1 is the provenance comment, line 2 the header").isEqualTo(3);
            assertThat(hub.hospitalName()).isEqualTo("群馬大学医学部附属病院");
            assertThat(hub.role()).isEqualTo("難病診療連携拠点病院");
            assertThat(hub.medicalInstitutionCode()).isEqualTo("1017010016");
            assertThat(hub.start()).isEqualTo(LocalDate.of(2025, 4, 1));
            assertThat(hub.end()).isEqualTo(LocalDate.of(2027, 3, 31));
            assertThat(hub.postalCode()).isEqualTo("371-8511");
            assertThat(hub.address()).as("全角 digits and hyphens normalised").isEqualTo("群馬県前橋市昭和町3-39-15");
            assertThat(hub.secondaryArea()).isEqualTo("前橋");
            assertThat(hub.field()).isEmpty();
            assertThat(hub.phone()).isEmpty();
        }

        @Test
        void readsTheSameListFromUtf8WithoutBom() {
            byte[] withoutBom = Arrays.copyOfRange(resource("example-gunma.csv"), 3, resource("example-gunma.csv").length);
            assertThat(withoutBom[0]).isEqualTo((byte) '#');
            assertThat(readOk("gunma.csv", withoutBom)).isEqualTo(expected);
        }

        @Test
        void readsTheSameListFromShiftJis() {
            byte[] shiftJis = exampleText().getBytes(WINDOWS_31J);
            assertThat(readOk("gunma.csv", shiftJis)).isEqualTo(expected);
        }

        @Test
        void readsTheSameListFromAWorkbookOfTextCells() {
            assertThat(readOk("gunma.xlsx", xlsx(exampleRows()))).isEqualTo(expected);
        }

        @Test
        void readsTheSameListFromAWorkbookOfDateCellsAndNumbers() {
            List<List<Object>> typed = new ArrayList<>();
            for (List<Object> row : exampleRows()) {
                typed.add(row.size() < Column.values().length || row.get(0).equals("都道府県コード") ? row : typedCells(row));
            }
            assertThat(typed.get(2).get(1)).isInstanceOf(Long.class);
            assertThat(readOk("gunma.xlsx", xlsx(typed))).isEqualTo(expected);
        }

        /** Codes as numbers, dates as date cells, as someone retyping the list in Excel would make them. */
        private List<Object> typedCells(List<Object> row) {
            List<Object> typed = new ArrayList<>(row);
            typed.set(Column.PREFECTURE_CODE.ordinal(), Long.parseLong((String) row.get(0)));
            typed.set(Column.MEDICAL_INSTITUTION_CODE.ordinal(), Long.parseLong((String) row.get(1)));
            for (Column date : List.of(Column.START, Column.END, Column.REFERENCE_DATE)) {
                typed.set(date.ordinal(), JapaneseDates.parse((String) row.get(date.ordinal())).orElseThrow());
            }
            return typed;
        }

        /** The example's lines as cells, its comment line included so that row numbers match. */
        private List<List<Object>> exampleRows() {
            try (CSVParser parser = CSVParser.parse(exampleText(), CSVFormat.RFC4180)) {
                List<List<Object>> rows = new ArrayList<>();
                for (CSVRecord record : parser) {
                    rows.add(record.get(0).startsWith("#") ? List.of(String.join(",", record.toList())) : List.copyOf(record.toList()));
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String exampleText() {
            byte[] bytes = resource("example-gunma.csv");
            assertThat(Arrays.copyOf(bytes, 3)).as("Excel needs the BOM to open UTF-8").isEqualTo(BOM);
            return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Header

    @Nested
    class Header {

        @Test
        void acceptsEnglishAliasesInAnyOrderAndCase() {
            String csv = "Reference Date,role,NAME,Medical-Institution-Code,prefecture_code,period start\r\n"
                    + "2026-09-01,難病診療連携拠点病院,群馬大学医学部附属病院,1017010016,10,2025-04-01\r\n";
            DesignationList list = readOk("en.csv", utf8(csv));
            assertThat(list.rows()).singleElement().satisfies(row -> {
                assertThat(row.medicalInstitutionCode()).isEqualTo("1017010016");
                assertThat(row.role()).isEqualTo("難病診療連携拠点病院");
                assertThat(row.end()).isNull();
            });
        }

        @Test
        void acceptsFullWidthAndPaddedHeaders() {
            String csv = csvOf(List.of(hub())).replace("都道府県コード", " 都道府県ｺｰﾄﾞ ");
            assertThat(read(utf8(csv)).ok()).isTrue();
        }

        @Test
        void reportsEachMissingRequiredColumnAtTheHeader() {
            String csv = csvOf(List.of(hub()), Column.ROLE, Column.START);
            assertThat(problems(utf8(csv)))
                    .extracting(ImportProblem::row, ImportProblem::column)
                    .containsExactly(tuple(1, "指定区分"), tuple(1, "指定開始日"));
        }

        @Test
        void acceptsListWithoutOptionalColumns() {
            String csv = csvOf(List.of(hub()), Column.FIELD, Column.END, Column.SECONDARY_AREA, Column.POSTAL_CODE,
                    Column.ADDRESS, Column.PHONE, Column.NOTE);
            DesignationRow row = readOk("short.csv", utf8(csv)).rows().get(0);
            assertThat(row.field()).isEmpty();
            assertThat(row.end()).isNull();
            assertThat(row.postalCode()).isEmpty();
        }

        @Test
        void reportsAnUnknownHeaderAndSaysWhichAreAccepted() {
            String csv = csvOf(List.of(hub())).replace("備考", "備巧");
            assertThat(problems(utf8(csv))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(1);
                assertThat(problem.column()).isEmpty();
                assertThat(problem.value()).isEqualTo("備巧");
                assertThat(problem.reasonJa()).contains("備考", "都道府県コード", "基準日");
                assertThat(problem.reasonEn()).contains("note", "prefecture_code");
            });
        }

        @Test
        void reportsADuplicatedHeader() {
            String csv = csvOf(List.of(hub())).replace("備考", "所在地");
            assertThat(problems(utf8(csv))).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(tuple(1, "所在地", "所在地"));
        }

        @Test
        void reportsAHeaderWithNoKnownColumnAsNotOurTemplate() {
            assertThat(problems(utf8("a,b,c\r\n1,2,3\r\n"))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(1);
                assertThat(problem.reasonJa()).contains("文字コード", "テンプレート");
                assertThat(problem.reasonEn()).contains("encoding", "template", "UTF-8");
            });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Cells

    @Nested
    class Cells {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "1017010016, 1017010016",
            "107010016, 1017010016",    // 9 digits, as 地方厚生局 lists publish them
            "7010016, 1017010016",      // 7 digits: the row's prefecture and 医科
            "10-1-7010016, 1017010016",
            "10 1 70100 16, 1017010016",
            "10.1.7010016, 1017010016",
            "１０１７０１００１６, 1017010016",
            "1037010016, 1037010016",   // 歯科
        })
        void normalisesAcceptedCodeForms(String given, String expected) {
            DesignationList list = readOk("codes.csv", utf8(csvOf(List.of(with(hub(), Column.MEDICAL_INSTITUTION_CODE, given)))));
            assertThat(list.rows().get(0).medicalInstitutionCode()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "10170100, 形",             // 8 digits
            "4817010016, 01〜47",       // prefecture 48
            "1027010016, 点数表",       // fee-table digit 2
            "1117010016, 都道府県コード 10", // another prefecture's hospital
            "ABC7010016, 形",
            "10170100161, 形",
        })
        void rejectsOtherCodeForms(String given, String reasonPart) {
            byte[] csv = utf8(csvOf(List.of(with(hub(), Column.MEDICAL_INSTITUTION_CODE, given))));
            assertThat(problems(csv)).singleElement().satisfies(problem -> {
                assertThat(problem).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                        .containsExactly(2, "医療機関コード", given);
                assertThat(problem.reasonJa()).contains(reasonPart);
            });
        }

        @Test
        void saysWhichCodeFormsAreAccepted() {
            byte[] csv = utf8(csvOf(List.of(with(hub(), Column.MEDICAL_INSTITUTION_CODE, "10170100"))));
            assertThat(problems(csv).get(0).reasonEn()).contains("10 digits", "9 digits", "7 digits");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"1, 01", "01, 01", "47, 47", "１０, 10"})
        void acceptsPrefectureCodes(String given, String expected) {
            Map<Column, String> row = with(with(hub(), Column.PREFECTURE_CODE, given), Column.MEDICAL_INSTITUTION_CODE, "7010016");
            assertThat(readOk("pref.csv", utf8(csvOf(List.of(row)))).prefectureCode()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"0", "48", "001", "群馬県", "10a"})
        void rejectsOtherPrefectureCodes(String given) {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.PREFECTURE_CODE, given))))))
                    .extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .contains(tuple(2, "都道府県コード", given));
        }

        @Test
        void rejectsRowsOfAnotherPrefecture() {
            Map<Column, String> saitama = with(with(cooperating(), Column.PREFECTURE_CODE, "11"), Column.MEDICAL_INSTITUTION_CODE, "1110112611");
            assertThat(problems(utf8(csvOf(List.of(hub(), saitama))))).singleElement().satisfies(problem -> {
                assertThat(problem).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                        .containsExactly(3, "都道府県コード", "11");
                assertThat(problem.reasonJa()).contains("11", "10", "2 行目");
                assertThat(problem.reasonEn()).contains("11", "10", "row 2");
            });
        }

        @Test
        void rejectsAnImpossibleDateQuotingItAndTheAcceptedForms() {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.START, "2025-02-30")))))).singleElement().satisfies(problem -> {
                assertThat(problem).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                        .containsExactly(2, "指定開始日", "2025-02-30");
                assertThat(problem.reasonJa()).contains("2025-02-30", "令和7年4月1日");
                assertThat(problem.reasonEn()).contains("2025-02-30", "R7.4.1");
            });
        }

        @Test
        void aRejectedListKeepsItsWellFormedRowsAndWhatItsOtherRowsNameForTheTerminologyCheck() {
            Map<Column, String> badDate = with(with(cooperating(), Column.START, "2025-02-30"), Column.ROLE, "難病なんでも病院");
            ReadResult read = read(utf8(csvOf(List.of(hub(), with(badDate, Column.FIELD, "神経・筋疾患")))));
            assertThat(read.ok()).isFalse();
            assertThat(read.wellFormed()).as("the hub's row passed every check").isNotNull();
            assertThat(read.wellFormed().rows()).extracting(DesignationRow::row).containsExactly(2);
            assertThat(read.namedByRowsWithProblems()).as("the row with a bad date still names its role, field and area")
                    .containsExactly(new ReadResult.Named(3, "難病なんでも病院", "神経・筋疾患", "前橋"));

            ReadResult emptyRole = read(utf8(csvOf(List.of(with(hub(), Column.ROLE, "")))));
            assertThat(emptyRole.namedByRowsWithProblems()).as("an empty role is a problem of form, not a role to look up")
                    .containsExactly(new ReadResult.Named(2, null, "", "前橋"));

            ReadResult missingColumn = read(utf8(csvOf(List.of(hub(), badDate), Column.START)));
            assertThat(missingColumn.ok()).isFalse();
            assertThat(missingColumn.wellFormed()).as("a column missing leaves no row reliable").isNull();
            assertThat(missingColumn.namedByRowsWithProblems()).isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"令和0年1月1日", "令和1年4月30日", "平成32年1月1日", "2025-13-01", "来年度"})
        void rejectsDatesThatDidNotExist(String given) {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.END, given))))))
                    .extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(tuple(2, "指定終了日", given));
        }

        @Test
        void readsEraDates() {
            Map<Column, String> row = with(with(hub(), Column.START, "R7.4.1"), Column.END, "令和９年３月３１日");
            DesignationRow read = readOk("era.csv", utf8(csvOf(List.of(row)))).rows().get(0);
            assertThat(read.start()).isEqualTo(LocalDate.of(2025, 4, 1));
            assertThat(read.end()).isEqualTo(LocalDate.of(2027, 3, 31));
        }

        @Test
        void rejectsAnEndBeforeTheStart() {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.END, "2025-03-31")))))).singleElement()
                    .extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(2, "指定終了日", "2025-03-31");
        }

        @Test
        void acceptsAStartOnTheEndDay() {
            assertThat(read(utf8(csvOf(List.of(with(hub(), Column.END, "2025-04-01"))))).ok()).isTrue();
        }

        @Test
        void rejectsARowRepeatingAnEarlierDesignation() {
            Map<Column, String> again = with(hub(), Column.MEDICAL_INSTITUTION_CODE, "107010016"); // same code, other form
            assertThat(problems(utf8(csvOf(List.of(hub(), cooperating(), again))))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(4);
                assertThat(problem.reasonJa()).contains("2 行目");
                assertThat(problem.reasonEn()).contains("row 2");
            });
        }

        @Test
        void acceptsTheSameHospitalInAnotherFieldOrPeriod() {
            Map<Column, String> field = with(with(hub(), Column.ROLE, "難病診療分野別拠点病院"), Column.FIELD, "神経・筋疾患");
            Map<Column, String> field2 = with(field, Column.FIELD, "免疫疾患");
            Map<Column, String> later = with(with(hub(), Column.START, "2027-04-01"), Column.END, "");
            assertThat(readOk("fields.csv", utf8(csvOf(List.of(hub(), field, field2, later)))).rows()).hasSize(4);
        }

        @Test
        void takesTheReferenceDateFromTheFirstRowAlone() {
            DesignationList list = readOk("ref.csv", utf8(csvOf(List.of(hub(), with(cooperating(), Column.REFERENCE_DATE, "")))));
            assertThat(list.referenceDate()).isEqualTo(LocalDate.of(2026, 9, 1));
            assertThat(list.rows()).hasSize(2);
        }

        @Test
        void acceptsTheSameReferenceDateWrittenAnotherWay() {
            Map<Column, String> second = with(cooperating(), Column.REFERENCE_DATE, "令和8年9月1日");
            assertThat(read(utf8(csvOf(List.of(hub(), second)))).ok()).isTrue();
        }

        @Test
        void rejectsAnotherReferenceDate() {
            Map<Column, String> second = with(cooperating(), Column.REFERENCE_DATE, "2026-10-01");
            assertThat(problems(utf8(csvOf(List.of(hub(), second))))).singleElement().satisfies(problem -> {
                assertThat(problem).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                        .containsExactly(3, "基準日", "2026-10-01");
                assertThat(problem.reasonEn()).contains("2026-09-01", "row 2");
            });
        }

        @Test
        void rejectsAFirstRowWithoutReferenceDate() {
            Map<Column, String> first = with(hub(), Column.REFERENCE_DATE, "");
            assertThat(problems(utf8(csvOf(List.of(first, cooperating())))))
                    .extracting(ImportProblem::row, ImportProblem::column).containsExactly(tuple(2, "基準日"));
        }

        @Test
        void reportsMissingRequiredValues() {
            Map<Column, String> row = with(with(hub(), Column.HOSPITAL_NAME, ""), Column.ROLE, " 　");
            row = with(row, Column.MEDICAL_INSTITUTION_CODE, "");
            assertThat(problems(utf8(csvOf(List.of(row))))).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(tuple(2, "医療機関コード", ""), tuple(2, "医療機関名", ""), tuple(2, "指定区分", ""));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"371-8511, 371-8511", "3718511, 371-8511", "〒371-8511, 371-8511", "〒 ３７１－８５１１, 371-8511", "371ー8511, 371-8511"})
        void normalisesPostalCodes(String given, String expected) {
            DesignationList list = readOk("postal.csv", utf8(csvOf(List.of(with(hub(), Column.POSTAL_CODE, given)))));
            assertThat(list.rows().get(0).postalCode()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"371-851", "37185111", "371 8511x", "前橋"})
        void rejectsBadPostalCodes(String given) {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.POSTAL_CODE, given))))))
                    .extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(tuple(2, "郵便番号", given));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"027-220-7111, 027-220-7111", "０２７－２２０－７１１１, 027-220-7111", "(027)220-7111, (027)220-7111",
            "+81-27-220-7111, +81-27-220-7111"})
        void keepsPhoneNumbers(String given, String expected) {
            assertThat(readOk("phone.csv", utf8(csvOf(List.of(with(hub(), Column.PHONE, given))))).rows().get(0).phone())
                    .isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"027-220-7111 内線 2", "tel 027", "027 220 7111"})
        void rejectsPhoneNumbersWithOtherCharacters(String given) {
            assertThat(problems(utf8(csvOf(List.of(with(hub(), Column.PHONE, given))))))
                    .extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .containsExactly(tuple(2, "電話番号", given));
        }

        @Test
        void trimsAndNormalisesText() {
            Map<Column, String> row = with(with(hub(), Column.HOSPITAL_NAME, "　群馬大学医学部附属病院 "), Column.NOTE, "ﾃｽﾄ　ＡＢＣ");
            DesignationRow read = readOk("text.csv", utf8(csvOf(List.of(row)))).rows().get(0);
            assertThat(read.hospitalName()).isEqualTo("群馬大学医学部附属病院");
            assertThat(read.note()).isEqualTo("テスト ABC");
        }

        @Test
        void reportsAValueUnderNoHeader() {
            // An unquoted comma in the address shifts the rest of the row one column to the right.
            String csv = csvOf(List.of(hub())).replace("群馬県前橋市昭和町3-39-15", "群馬県前橋市,昭和町3-39-15");
            assertThat(problems(utf8(csv))).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                    .contains(tuple(2, "", "2026-09-01"));
        }

        @Test
        void reportsEveryProblemOfEveryRow() {
            List<Map<Column, String>> rows = List.of(
                    with(hub(), Column.START, "2025-02-30"),
                    with(cooperating(), Column.POSTAL_CODE, "12"),
                    with(with(cooperating(), Column.MEDICAL_INSTITUTION_CODE, "10170100"), Column.PHONE, "電話"),
                    cooperating());
            List<ImportProblem> problems = problems(utf8(csvOf(rows)));
            assertThat(problems).extracting(ImportProblem::row, ImportProblem::column).containsExactly(
                    tuple(2, "指定開始日"), tuple(3, "郵便番号"), tuple(4, "医療機関コード"), tuple(4, "電話番号"), tuple(5, "医療機関コード"));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // CSV

    @Nested
    class Csv {

        @Test
        void readsQuotedFieldsWithCommasQuotesAndLineBreaksAndNumbersRowsByTheirFirstLine() {
            String csv = "# 群馬県 \"試験\", 1 行目\r\n" + header() + "\r\n"
                    + line(with(hub(), Column.NOTE, "第1行,\r\n第2行 \"引用\"")) + "\r\n"
                    + "\r\n"
                    + line(cooperating()) + "\r\n";
            DesignationList list = readOk("quoted.csv", utf8(csv));
            assertThat(list.rows()).extracting(DesignationRow::row).containsExactly(3, 6);
            assertThat(list.rows().get(0).note()).isEqualTo("第1行,\r\n第2行 \"引用\"");
        }

        @Test
        void numbersProblemsByPhysicalLineWithBareLineFeeds() {
            String csv = "\n# comment\n" + header() + "\n\n\n" + line(with(hub(), Column.POSTAL_CODE, "1")) + "\n";
            assertThat(problems(utf8(csv))).extracting(ImportProblem::row).containsExactly(6);
        }

        @Test
        void skipsCompletelyEmptyRows() {
            String csv = header() + "\r\n,,,,,,,,,,,,\r\n" + line(hub()) + "\r\n ,　, \r\n";
            assertThat(readOk("blank.csv", utf8(csv)).rows()).extracting(DesignationRow::row).containsExactly(3);
        }

        @Test
        void reportsAnUnclosedQuoteWithTheLineWhereItStarts() {
            String csv = header() + "\r\n" + line(hub()) + "\r\n" + line(cooperating()).replace("前橋赤十字病院", "\"前橋赤十字病院");
            assertThat(problems(utf8(csv))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(3);
                assertThat(problem.reasonEn()).contains("double quote");
            });
        }

        @Test
        void anUnclosedQuoteInTheFirstRowIsTheOneProblemNotAlsoAnEmptyList() {
            String csv = header() + "\r\n" + line(hub()).replace("群馬大学医学部附属病院", "\"群馬大学医学部附属病院") + "\r\n" + line(cooperating());
            assertThat(problems(utf8(csv))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(2);
                assertThat(problem.reasonEn()).contains("double quote");
            });
        }

        @Test
        void aRejectedListStillSaysItsPrefectureReferenceDateAndRows() {
            String csv = header() + "\r\n" + line(hub()) + "\r\n" + line(with(cooperating(), Column.START, "2025-02-30")) + "\r\n\r\n"
                    + line(with(cooperating(), Column.MEDICAL_INSTITUTION_CODE, "1010154321")) + "\r\n";
            ReadResult result = read(utf8(csv));
            assertThat(result.ok()).isFalse();
            assertThat(result.read()).isEqualTo(new ReadResult.Read("10", LocalDate.of(2026, 9, 1), 3));

            assertThat(read(utf8("")).read()).as("nothing read").isEqualTo(new ReadResult.Read(null, null, 0));
        }

        @ParameterizedTest(name = "{0} bytes")
        @ValueSource(strings = {"", " ", "\r\n\r\n", "\t \n", "\uFEFF", "\uFEFF\r\n"})
        void rejectsAnEmptyFile(String text) {
            assertThat(problems(utf8(text))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonEn()).contains("empty");
            });
        }

        @Test
        void rejectsAFileOfCommentsOnly() {
            assertThat(problems(utf8("# nothing yet\r\n"))).singleElement().extracting(ImportProblem::row).isEqualTo(0);
        }

        @Test
        void rejectsAHeaderWithoutDesignations() {
            assertThat(problems(resource("designation-list-template.csv"))).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonEn()).contains("no designations");
            });
        }

        @Test
        void rejectsUtf16() {
            String csv = csvOf(List.of(hub()));
            for (byte[] bytes : List.of(("\uFEFF" + csv).getBytes(StandardCharsets.UTF_16LE), ("\uFEFF" + csv).getBytes(StandardCharsets.UTF_16BE))) {
                assertThat(problems(bytes)).singleElement().satisfies(problem -> {
                    assertThat(problem.row()).isZero();
                    assertThat(problem.reasonJa()).contains("UTF-8", "Shift_JIS");
                    assertThat(problem.reasonEn()).contains("UTF-16", "UTF-8", "Shift_JIS");
                });
            }
        }

        @Test
        void suspectsTheEncodingWhenEucJpDecodesToGarbageHeaders() {
            // These EUC-JP bytes happen to be valid Windows-31J: 都道府県コード reads as ﾅﾔﾆｻﾉﾜｸｩ･ｳ｡ｼ･ﾉ.
            byte[] eucJp = "都道府県コード,医療機関コード,医療機関名\r\n10,1017010016,備考\r\n".getBytes(Charset.forName("EUC-JP"));
            assertThat(problems(eucJp)).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(1);
                assertThat(problem.reasonJa()).contains("文字コード", "Shift_JIS として読みました");
                assertThat(problem.reasonEn()).contains("encoding", "read as Shift_JIS", "UTF-8");
            });
        }

        @Test
        void rejectsAnEncodingThatIsNeitherUtf8NorShiftJis() {
            byte[] eucJp = csvOf(List.of(hub())).getBytes(Charset.forName("EUC-JP"));
            assertThat(problems(eucJp)).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonEn()).contains("Unknown encoding", "UTF-8", "Shift_JIS");
            });
        }

        @Test
        void rejectsABomFollowedByBytesThatAreNotUtf8() {
            byte[] mixed = concat(BOM, csvOf(List.of(hub())).getBytes(WINDOWS_31J));
            assertThat(problems(mixed)).singleElement().extracting(ImportProblem::row).isEqualTo(0);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workbooks and size

    @Nested
    class Workbooks {

        @Test
        void restoresLeadingZerosThatNumberCellsDrop() {
            List<Object> hokkaido = cells(with(with(with(hub(), Column.PREFECTURE_CODE, "1"), Column.POSTAL_CODE, ""), Column.PHONE, ""));
            hokkaido.set(Column.PREFECTURE_CODE.ordinal(), 1L);
            hokkaido.set(Column.MEDICAL_INSTITUTION_CODE.ordinal(), 117010016L);   // 0117010016
            hokkaido.set(Column.POSTAL_CODE.ordinal(), 600001L);                   // 060-0001
            hokkaido.set(Column.PHONE.ordinal(), 112345678L);                      // 011-234-5678 typed as a number
            List<Object> nineDigits = new ArrayList<>(hokkaido);
            nineDigits.set(Column.MEDICAL_INSTITUTION_CODE.ordinal(), 10112611L);  // 010112611
            List<Object> sevenDigits = new ArrayList<>(hokkaido);
            sevenDigits.set(Column.MEDICAL_INSTITUTION_CODE.ordinal(), 112612L);   // 0112612
            DesignationList list = readOk("hokkaido.xlsx", xlsx(List.of(headerCells(), hokkaido, nineDigits, sevenDigits)));
            assertThat(list.prefectureCode()).isEqualTo("01");
            assertThat(list.rows()).extracting(DesignationRow::medicalInstitutionCode)
                    .containsExactly("0117010016", "0110112611", "0110112612");
            assertThat(list.rows().get(0).postalCode()).isEqualTo("060-0001");
            assertThat(list.rows().get(0).phone()).isEqualTo("0112345678");
        }

        @Test
        void readsDatesShownInJapaneseEraFormats() {
            // What Japanese Excel stores for 令和7年4月1日 typed into a cell: a date number and an era format.
            byte[] workbook = xlsx(List.of(headerCells(), cells(hub())), book -> {
                Row row = book.getSheetAt(0).getRow(1);
                CellStyle custom = book.createCellStyle();
                custom.setDataFormat(book.createDataFormat().getFormat("[$-411]ggge\"年\"m\"月\"d\"日\""));
                CellStyle builtIn = book.createCellStyle();
                builtIn.setDataFormat((short) 57); // ja-JP built-in [$-411]ge.m.d
                row.getCell(Column.START.ordinal()).setCellValue(LocalDate.of(2025, 4, 1));
                row.getCell(Column.START.ordinal()).setCellStyle(custom);
                row.getCell(Column.END.ordinal()).setCellValue(LocalDate.of(2027, 3, 31));
                row.getCell(Column.END.ordinal()).setCellStyle(builtIn);
            });
            DesignationRow row = readOk("era.xlsx", workbook).rows().get(0);
            assertThat(row.start()).isEqualTo(LocalDate.of(2025, 4, 1));
            assertThat(row.end()).isEqualTo(LocalDate.of(2027, 3, 31));
        }

        @Test
        void readsOnlyTheFirstSheetAndNumbersRowsAsExcelDoes() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(List.of());
            rows.add(headerCells());
            rows.add(cells(hub()));
            byte[] workbook = xlsx(rows, book -> book.createSheet("説明").createRow(0).createCell(0).setCellValue("自由な説明"));
            assertThat(readOk("book.xlsx", workbook).rows()).extracting(DesignationRow::row).containsExactly(3);
        }

        @Test
        void rejectsFormulasEvenWithACachedValue() {
            byte[] workbook = xlsx(List.of(headerCells(), cells(hub())), book -> {
                Row row = book.getSheetAt(0).getRow(1);
                row.getCell(Column.END.ordinal()).setCellFormula("DATE(2027,3,31)");
                row.getCell(Column.END.ordinal()).setCellValue(46477); // cached 2027-03-31
            });
            assertThat(problems(workbook)).singleElement().satisfies(problem -> {
                assertThat(problem).extracting(ImportProblem::row, ImportProblem::column, ImportProblem::value)
                        .containsExactly(2, "指定終了日", "=DATE(2027,3,31)");
                assertThat(problem.reasonJa()).isEqualTo("数式は使えません。値として貼り付けてください。");
                assertThat(problem.reasonEn()).isEqualTo("Formulas are not accepted; paste values only.");
            });
        }

        @Test
        void reportsAFormulaInARequiredCellOnce() {
            byte[] workbook = xlsx(List.of(headerCells(), cells(hub())),
                    book -> book.getSheetAt(0).getRow(1).getCell(Column.HOSPITAL_NAME.ordinal()).setCellFormula("\"群馬\"&\"大学\""));
            assertThat(problems(workbook)).extracting(ImportProblem::row, ImportProblem::column).containsExactly(tuple(2, "医療機関名"));
        }

        @Test
        void rejectsAWorkbookWithMacros() {
            byte[] workbook = withZipEntry(xlsx(List.of(headerCells(), cells(hub()))), "xl/vbaProject.bin", new byte[] {1, 2, 3});
            assertThat(problems(workbook)).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonEn()).contains("macros");
            });
        }

        @Test
        void rejectsAZipThatIsNotAWorkbook() {
            byte[] zip = withZipEntry(new byte[0], "list.csv", utf8(csvOf(List.of(hub()))));
            assertThat(problems(zip)).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonEn()).contains("workbook");
            });
        }

        @Test
        void rejectsATruncatedWorkbook() {
            byte[] workbook = xlsx(List.of(headerCells(), cells(hub())));
            assertThat(problems(Arrays.copyOf(workbook, workbook.length / 2))).singleElement()
                    .extracting(ImportProblem::row).isEqualTo(0);
        }

        @Test
        void rejectsLegacyXls() {
            byte[] ole2 = concat(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1},
                    new byte[504]);
            assertThat(problems(ole2)).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonJa()).contains(".xlsx", "CSV");
                assertThat(problem.reasonEn()).contains(".xls", ".xlsx or CSV");
            });
        }

        @Test
        void rejectsAFileNamedXlsxThatIsNotAWorkbook() {
            assertThat(reader.read("list.xlsx", utf8(csvOf(List.of(hub())))).problems()).singleElement()
                    .extracting(ImportProblem::row).isEqualTo(0);
        }

        @Test
        void rejectsContentOverTheLimitWithoutReadingIt() {
            DesignationListReader small = new DesignationListReader(1024);
            byte[] big = new byte[1025];
            Arrays.fill(big, (byte) 0xFF); // not CSV, not anything: only the size may be reported
            assertThat(small.read("big.csv", big).problems()).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonJa()).contains("上限 0.000977 MB");
                assertThat(problem.reasonEn()).contains("limit is 0.000977 MB");
            });
            int padding = 1024 - utf8(csvOf(List.of(hub()))).length;
            byte[] exactly = utf8(csvOf(List.of(with(hub(), Column.NOTE, "x".repeat(padding)))));
            assertThat(exactly).hasSize(1024);
            assertThat(small.read("fits.csv", exactly).ok()).isTrue();
        }

        @Test
        void saysHowLargeAFileIsOnlyWhenTheSizeIsKnown() {
            DesignationListReader limited = new DesignationListReader(10L * 1024 * 1024);
            assertThat(limited.tooLarge(100L * 1024 * 1024).reasonEn()).contains("The file is too large (100 MB; the limit is 10 MB)");
            // A form sent in chunks announces no length: the web server only knows it went past the limit.
            ImportProblem unknownSize = limited.tooLarge(-1);
            assertThat(unknownSize.reasonJa()).contains("ファイルが上限 10 MB を超えています").doesNotContain("-");
            assertThat(unknownSize.reasonEn()).contains("The file is over the limit of 10 MB").doesNotContain("-0");
        }

        @Test
        void rejectsAPasswordProtectedWorkbook() throws Exception {
            byte[] plain = xlsx(List.of(headerCells(), cells(hub())));
            try (POIFSFileSystem ole2 = new POIFSFileSystem(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
                encryptor.confirmPassword("secret");
                try (OutputStream data = encryptor.getDataStream(ole2)) {
                    data.write(plain);
                }
                ole2.writeFilesystem(out);
                assertThat(problems(out.toByteArray())).singleElement().satisfies(problem -> {
                    assertThat(problem.row()).isZero();
                    assertThat(problem.reasonEn()).contains("Password-protected");
                });
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // What one file may hold besides its size: rows, and what a workbook unpacks to

    @Nested
    class Bounds {

        private final DesignationListReader tenRows = new DesignationListReader(1024 * 1024, 10);

        private List<Map<Column, String>> cooperatingHospitals(int count) {
            List<Map<Column, String>> rows = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                rows.add(with(cooperating(), Column.MEDICAL_INSTITUTION_CODE, String.valueOf(1010200000L + i)));
            }
            return rows;
        }

        private void assertTooManyRows(ReadResult result) {
            assertThat(result.ok()).isFalse();
            assertThat(result.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonJa()).contains("一覧の行が多すぎます（空行を除いて 10 行を超えています）",
                        "nanbyo.designation-import.maximum-rows");
                assertThat(problem.reasonEn()).contains("too many rows: more than 10 besides blank ones");
            });
        }

        @Test
        void takesAsManyRowsAsTheLimitAndRefusesOneMoreWithOneProblem() {
            assertThat(tenRows.read("ten.csv", utf8(csvOf(cooperatingHospitals(10)))).ok()).isTrue();

            assertTooManyRows(tenRows.read("eleven.csv", utf8(csvOf(cooperatingHospitals(11)))));
            List<List<Object>> sheet = new ArrayList<>(List.of(headerCells()));
            cooperatingHospitals(11).forEach(row -> sheet.add(cells(row)));
            assertTooManyRows(tenRows.read("eleven.xlsx", xlsx(sheet)));
        }

        @Test
        void blankRowsDoNotCountAndRowsKeepTheirNumbers() {
            String blankLines = ",,,,,,,,,,,,\r\n".repeat(20_000);
            String csv = csvOf(cooperatingHospitals(9)) + blankLines + line(with(cooperating(), Column.START, "2025-02-30")) + "\r\n";

            ReadResult result = tenRows.read("blank-lines.csv", utf8(csv));

            assertThat(result.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isEqualTo(1 + 9 + 20_000 + 1);
                assertThat(problem.value()).isEqualTo("2025-02-30");
            });
        }

        @Test
        void aFileOfManyShortRowsIsRefusedAsTooLongNotCheckedRowByRow() {
            // 10 MB of 13 one-letter cells per line, 403,290 lines: read and checked row by row, its problems ran a
            // server with -Xmx768m out of memory.
            DesignationListReader shipped = new DesignationListReader(10L * 1024 * 1024);
            String lines = header() + "\r\n" + "x,x,x,x,x,x,x,x,x,x,x,x,x\r\n".repeat(388_000);
            assertThat(utf8(lines).length).isLessThan(10 * 1024 * 1024);

            ReadResult result = shipped.read("cells.csv", utf8(lines));

            assertThat(result.problems()).singleElement().extracting(ImportProblem::reasonEn).asString()
                    .contains("more than 5,000 besides blank ones");
        }

        @Test
        void aWorkbookWhoseSheetsUnpackPastTheFileLimitIsRefusedBeforeItIsOpened() {
            // 3,000 rows of the same text compress about tenfold: under the 256 kB limit packed, far over it unpacked.
            List<List<Object>> rows = new ArrayList<>(List.of(headerCells()));
            for (int i = 0; i < 3_000; i++) {
                rows.add(cells(cooperating()));
            }
            byte[] workbook = xlsx(rows);
            DesignationListReader small = new DesignationListReader(256 * 1024, 10_000);
            assertThat(workbook.length).isLessThan(256 * 1024);

            assertThat(small.read("compressed.xlsx", workbook).problems()).singleElement().satisfies(problem -> {
                assertThat(problem.row()).isZero();
                assertThat(problem.reasonJa()).contains("ブックを展開すると大きすぎます", "上限 0.25 MB", "全体が上限 1 MB");
                assertThat(problem.reasonEn()).contains("too large once unpacked");
            });
        }

        @Test
        void otherPartsOfAWorkbookMayUnpackToFourTimesTheFileLimit() {
            DesignationListReader small = new DesignationListReader(64 * 1024, 10);
            byte[] withPicture = xlsx(List.of(headerCells(), cells(hub())),
                    book -> book.addPicture(picture(200 * 1024), Workbook.PICTURE_TYPE_PNG));
            byte[] withLargerPicture = xlsx(List.of(headerCells(), cells(hub())),
                    book -> book.addPicture(picture(300 * 1024), Workbook.PICTURE_TYPE_PNG));
            assertThat(withLargerPicture.length).isLessThan(64 * 1024);

            assertThat(small.read("picture.xlsx", withPicture).problems()).isEmpty();
            assertThat(small.read("larger-picture.xlsx", withLargerPicture).problems())
                    .singleElement().extracting(ImportProblem::reasonEn).asString().contains("too large once unpacked");
        }

        @Test
        void filesAreReadOneAtATime() throws Exception {
            // A workbook is held whole while read: four read at once ran a -Xmx768m server out of memory.
            List<List<Object>> sheet = new ArrayList<>(List.of(headerCells()));
            cooperatingHospitals(4_000).forEach(row -> sheet.add(cells(row)));
            byte[] workbook = xlsx(sheet);
            DesignationListReader shared = new DesignationListReader(10L * 1024 * 1024);
            ExecutorService imports = Executors.newFixedThreadPool(2);
            try {
                List<Future<ReadResult>> reads = List.of(imports.submit(() -> shared.read("a.xlsx", workbook)),
                        imports.submit(() -> shared.read("b.xlsx", workbook)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int mostWaiting = 0;
                while (!(reads.get(0).isDone() && reads.get(1).isDone()) && System.nanoTime() < deadline) {
                    mostWaiting = Math.max(mostWaiting, shared.waitingToRead());
                    Thread.sleep(1);
                }
                assertThat(mostWaiting).as("one read waited for the other").isEqualTo(1);
                for (Future<ReadResult> read : reads) {
                    assertThat(read.get().list().rows()).hasSize(4_000);
                }
            } finally {
                imports.shutdownNow();
            }
        }

        /**
         * Bytes that pack about eightfold, as a bitmap might: within POI's own guard, which refuses a part that packs
         * more than a hundredfold as a zip bomb.
         */
        private static byte[] picture(int size) {
            byte[] bits = new byte[size];
            Random random = new Random(size);
            for (int i = 0; i < size; i++) {
                bits[i] = (byte) random.nextInt(2);
            }
            return bits;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static Map<Column, String> hub() {
        Map<Column, String> row = new EnumMap<>(Column.class);
        row.put(Column.PREFECTURE_CODE, "10");
        row.put(Column.MEDICAL_INSTITUTION_CODE, "1017010016");
        row.put(Column.HOSPITAL_NAME, "群馬大学医学部附属病院");
        row.put(Column.ROLE, "難病診療連携拠点病院");
        row.put(Column.FIELD, "");
        row.put(Column.START, "2025-04-01");
        row.put(Column.END, "2027-03-31");
        row.put(Column.SECONDARY_AREA, "前橋");
        row.put(Column.POSTAL_CODE, "371-8511");
        row.put(Column.ADDRESS, "群馬県前橋市昭和町3-39-15");
        row.put(Column.PHONE, "027-220-7111");
        row.put(Column.NOTE, "");
        row.put(Column.REFERENCE_DATE, "2026-09-01");
        return row;
    }

    private static Map<Column, String> cooperating() {
        Map<Column, String> row = hub();
        row.put(Column.MEDICAL_INSTITUTION_CODE, "1010112611");
        row.put(Column.HOSPITAL_NAME, "前橋赤十字病院");
        row.put(Column.ROLE, "難病医療協力病院");
        row.put(Column.START, "2025-07-01");
        row.put(Column.POSTAL_CODE, "371-0811");
        row.put(Column.ADDRESS, "群馬県前橋市朝倉町389-1");
        row.put(Column.PHONE, "");
        return row;
    }

    private static Map<Column, String> with(Map<Column, String> row, Column column, String value) {
        Map<Column, String> copy = new EnumMap<>(row);
        copy.put(column, value);
        return copy;
    }

    /** A CSV of the template's columns, less any left out, with CRLF line ends. */
    private static String csvOf(List<Map<Column, String>> rows, Column... leftOut) {
        List<Column> columns = Arrays.stream(Column.values()).filter(column -> !List.of(leftOut).contains(column)).toList();
        StringBuilder csv = new StringBuilder(CSVFormat.RFC4180.format(columns.stream().map(Column::header).toArray())).append("\r\n");
        for (Map<Column, String> row : rows) {
            csv.append(CSVFormat.RFC4180.format(columns.stream().map(row::get).toArray())).append("\r\n");
        }
        return csv.toString();
    }

    private static String header() {
        return csvOf(List.of()).strip();
    }

    private static String line(Map<Column, String> row) {
        return CSVFormat.RFC4180.format(Arrays.stream(Column.values()).map(row::get).toArray());
    }

    private static List<Object> headerCells() {
        return Arrays.stream(Column.values()).map(Column::header).collect(Collectors.toList());
    }

    private static List<Object> cells(Map<Column, String> row) {
        return Arrays.stream(Column.values()).map(row::get).collect(Collectors.toCollection(ArrayList::new));
    }

    private static byte[] xlsx(List<List<Object>> rows) {
        return xlsx(rows, book -> {});
    }

    /** Strings become text cells, numbers numeric cells, dates date-formatted cells; then {@code edit} runs. */
    private static byte[] xlsx(List<List<Object>> rows, Consumer<XSSFWorkbook> edit) {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("指定一覧");
            CellStyle dateStyle = book.createCellStyle();
            dateStyle.setDataFormat(book.createDataFormat().getFormat("yyyy/m/d"));
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Object value = rows.get(r).get(c);
                    if (value instanceof Number number) {
                        row.createCell(c).setCellValue(number.doubleValue());
                    } else if (value instanceof LocalDate date) {
                        row.createCell(c).setCellValue(date);
                        row.getCell(c).setCellStyle(dateStyle);
                    } else if (!((String) value).isEmpty()) {
                        row.createCell(c).setCellValue((String) value);
                    } else {
                        row.createCell(c); // a blank cell, as Excel keeps after a value is deleted
                    }
                }
            }
            edit.accept(book);
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code zip} (or a new ZIP when empty) with one more entry. */
    private static byte[] withZipEntry(byte[] zip, String name, byte[] content) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); ZipOutputStream copy = new ZipOutputStream(out)) {
            if (zip.length > 0) {
                try (ZipInputStream original = new ZipInputStream(new ByteArrayInputStream(zip))) {
                    for (ZipEntry entry; (entry = original.getNextEntry()) != null; ) {
                        copy.putNextEntry(new ZipEntry(entry.getName()));
                        original.transferTo(copy);
                        copy.closeEntry();
                    }
                }
            }
            copy.putNextEntry(new ZipEntry(name));
            copy.write(content);
            copy.closeEntry();
            copy.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = DesignationListReaderTest.class.getResourceAsStream(TEMPLATES + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private ReadResult read(byte[] content) {
        return reader.read("list.csv", content);
    }

    private DesignationList readOk(String fileName, byte[] content) {
        ReadResult result = reader.read(fileName, content);
        assertThat(result.problems()).as(fileName).isEmpty();
        assertThat(result.ok()).isTrue();
        return result.list();
    }

    /** The problems of a rejected file, each checked to be a bilingual, complete sentence. */
    private List<ImportProblem> problems(byte[] content) {
        ReadResult result = read(content);
        assertThat(result.ok()).isFalse();
        assertThat(result.list()).isNull();
        assertThat(result.problems()).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.reasonJa()).endsWith("。");
            assertThat(problem.reasonEn()).endsWith(".").matches("[A-Z\"].*");
        });
        return result.problems();
    }
}
