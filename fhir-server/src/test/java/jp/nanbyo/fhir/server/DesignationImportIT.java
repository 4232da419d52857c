package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportProblem;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.apache.camel.ProducerTemplate;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The designation import end to end on PostgreSQL: the Camel routes (direct, upload, watched
 * folder) talking to the running server over FHIR REST. Each test works on a prefecture of its
 * own, so the tests do not depend on one another.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class DesignationImportIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-import-data-");
    static final String EXAMPLE = "jp/nanbyo/fhir/routes/designation/template/example-gunma.csv";
    static final String HEADER = "都道府県コード,医療機関コード,医療機関名,指定区分,専門分野,指定開始日,指定終了日,二次医療圏,郵便番号,所在地,電話番号,備考,基準日";
    static final Charset WINDOWS_31J = Charset.forName("Windows-31J");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.designation-import.folder-poll-delay", () -> "500");
        // Small enough for a list of a few thousand rows to make a transaction larger (the default is 8 MB), and for
        // one of a few hundred rows to make more entries (the default is 2,000).
        registry.add("nanbyo.fhir.maximum-request-size", () -> "2MB");
        registry.add("nanbyo.fhir.maximum-bundle-entries", () -> "1000");
    }

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate routes;

    IGenericClient fhir;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void client() {
        fhir = TestFhirClient.of(port);
    }

    // ---- golden files: the Gunma list, in every encoding and as xlsx, gives one directory

    @Test
    void gunmaListInEveryEncodingAndAsExcelImportsToTheSameDirectory() throws IOException {
        byte[] utf8WithBom = example();
        ImportReport first = importFile("gunma.csv", utf8WithBom, false);
        assertThat(first.status()).isEqualTo(ImportReport.Status.APPLIED);
        assertThat(first.rows()).isEqualTo(74);
        // prefecture government, network, prefecture area, 10 areas, 35 municipalities, 74 hospitals, 74 sites, 74 designations
        assertThat(first.counts().created()).isEqualTo(1 + 1 + 1 + 10 + 35 + 74 + 74 + 74);
        assertThat(first.provenance()).startsWith("Provenance/");
        assertThat(hospital("1011610035").getAddressFirstRep().getCity()).as("past the 郡 of 北群馬郡吉岡町").isEqualTo("吉岡町");
        assertThat(hospital("1011610035").getAddressFirstRep().getPostalCode()).isNotBlank();

        String text = new String(utf8WithBom, StandardCharsets.UTF_8).replace("\uFEFF", "");
        for (Map.Entry<String, byte[]> variant : Map.of(
                "gunma-utf8-no-bom.csv", text.getBytes(StandardCharsets.UTF_8),
                "gunma-shift-jis.csv", text.getBytes(WINDOWS_31J),
                "gunma.xlsx", xlsx(text)).entrySet()) {
            ImportReport again = importFile(variant.getKey(), variant.getValue(), false);
            assertThat(again.status()).as(variant.getKey()).isEqualTo(ImportReport.Status.UNCHANGED);
            assertThat(again.counts().unchanged()).as(variant.getKey()).isEqualTo(74 + 74 + 74);
        }
        ImportReport sameFile = importFile("gunma.csv", utf8WithBom, false);
        assertThat(sameFile.status()).isEqualTo(ImportReport.Status.ALREADY_IMPORTED);
        assertThat(sameFile.messageEn()).contains("already imported");

        // The hub, as a directory user asks: who was 群馬's 難病診療連携拠点病院 on 2025-05-01?
        Bundle hub = designationsOn("10", "hub-hospital", "2025-05-01");
        assertThat(hospitalNames(hub)).containsExactly("群馬大学医学部附属病院");
        assertThat(designationsOn("10", "hub-hospital", "2025-03-31").getEntry()).as("before the period").isEmpty();
        assertThat(designationsOn("10", "cooperating-hospital", "2025-07-01").getEntry()
                .stream().filter(e -> e.getResource() instanceof OrganizationAffiliation)).hasSize(73);
        assertThat(designationsOn("10", "cooperating-hospital", "2025-06-30").getEntry()).isEmpty();
    }

    // ---- a second list: exactly its changes, history kept

    @Test
    void aSecondListCreatesUpdatesAndEndsExactlyWhatChanged() {
        List<String> rows = new ArrayList<>(List.of(
                row("13", "1311111111", "東京第一病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "令和8年9月1日"),
                row("13", "1312222222", "東京第二病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "令和8年9月1日"),
                row("13", "1313333333", "東京第三病院", "難病診療連携拠点病院", "", "R7.4.1", "R9.3.31", "令和8年9月1日")));
        assertThat(importFile("tokyo-1.csv", csv(rows), false).status()).isEqualTo(ImportReport.Status.APPLIED);

        // One removed (第二), one added (第四), one changed (第一 renamed).
        List<String> second = List.of(
                row("13", "1311111111", "東京第一総合病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "2026-10-01"),
                row("13", "1313333333", "東京第三病院", "難病診療連携拠点病院", "", "R7.4.1", "R9.3.31", "2026-10-01"),
                row("13", "1314444444", "東京第四病院", "難病医療協力病院", "", "2026-10-01", "2027-03-31", "2026-10-01"));

        ImportReport preview = importFile("tokyo-2.csv", csv(second), true);
        assertThat(preview.status()).isEqualTo(ImportReport.Status.DRY_RUN);
        assertThat(designation("13:1312222222:cooperating-hospital::2025-07-01").getActive())
                .as("a dry run writes nothing").isTrue();

        ImportReport applied = importFile("tokyo-2.csv", csv(second), false);
        assertThat(applied.status()).isEqualTo(ImportReport.Status.APPLIED);
        assertThat(applied.changes()).isEqualTo(preview.changes()).extracting(ImportReport.Change::action)
                .containsOnly("create", "update", "end");
        assertThat(applied.counts().ended()).isEqualTo(1);
        assertThat(applied.changes()).filteredOn(c -> c.action().equals("create"))
                .extracting(ImportReport.Change::identifier)
                .containsExactlyInAnyOrder(
                        JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|1314444444",
                        NanbyoIdentifierSystems.DESIGNATION + "|13:1314444444:cooperating-hospital::2026-10-01");
        assertThat(applied.changes()).filteredOn(c -> c.action().equals("update"))
                .extracting(ImportReport.Change::identifier)
                .contains(JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|1311111111")
                .doesNotContain(NanbyoIdentifierSystems.DESIGNATION + "|13:1313333333:hub-hospital::2025-04-01");

        OrganizationAffiliation ended = designation("13:1312222222:cooperating-hospital::2025-07-01");
        assertThat(ended.getActive()).isFalse();
        assertThat(ended.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-09-30");
        Bundle history = fhir.history().onInstance(ended.getIdElement().toUnqualifiedVersionless())
                .returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).as("the designation as it was is still readable").hasSize(2);

        // As of a date: 第二 was a cooperating hospital the day before the new list, not after.
        assertThat(hospitalNames(designationsOn("13", "cooperating-hospital", "2026-09-15")))
                .containsExactlyInAnyOrder("東京第一総合病院", "東京第二病院");
        assertThat(hospitalNames(designationsOn("13", "cooperating-hospital", "2026-10-15")))
                .containsExactlyInAnyOrder("東京第一総合病院", "東京第四病院");

        Provenance provenance = fhir.read().resource(Provenance.class).withId(applied.provenance()).execute();
        assertThat(provenance.getTarget()).hasSize(applied.changes().size());
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue()).isEqualTo(applied.sha256());
        assertThat(provenance.getOccurredDateTimeType().getValueAsString()).isEqualTo("2026-10-01");

        ImportReport older = importFile("tokyo-1-again.csv", csv(rows), false);
        assertThat(older.status()).as("a list older than the last one imported").isEqualTo(ImportReport.Status.REJECTED);
    }

    // ---- two nodes (or an upload and the folder) importing the same list at the same time

    @Test
    void theSameListImportedTwiceAtOnceCreatesEachHospitalAndDesignationOnce() throws Exception {
        List<String> rows = List.of(
                row("15", "1511111111", "新潟第一病院", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", "2026-09-01"),
                row("15", "1512222222", "新潟第二病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", ""),
                row("15", "1513333333", "新潟第三病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", ""));
        byte[] fromFolder = csv(rows);
        // Other bytes, same list: both imports compare and plan, neither is taken for the other's file.
        byte[] uploaded = (new String(fromFolder, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService twoNodes = Executors.newFixedThreadPool(2);
        try {
            Future<ImportReport> first = twoNodes.submit(() -> {
                start.await();
                return importFile("niigata-folder.csv", fromFolder, false);
            });
            Future<ImportReport> second = twoNodes.submit(() -> {
                start.await();
                return importFile("niigata-upload.csv", uploaded, false);
            });
            start.countDown();
            List<ImportReport.Status> statuses = List.of(first.get(60, TimeUnit.SECONDS).status(),
                    second.get(60, TimeUnit.SECONDS).status());
            assertThat(statuses).as("one writes, the other finds its list already in the directory")
                    .containsExactlyInAnyOrder(ImportReport.Status.APPLIED, ImportReport.Status.UNCHANGED);
        } finally {
            twoNodes.shutdownNow();
        }
        // Each found exactly once (hospital and designation assert a single match).
        assertThat(hospital("1511111111").getName()).isEqualTo("新潟第一病院");
        assertThat(hospital("1512222222").getName()).isEqualTo("新潟第二病院");
        assertThat(hospital("1513333333").getName()).isEqualTo("新潟第三病院");
        assertThat(designation("15:1511111111:hub-hospital::2025-04-01").getActive()).isTrue();
        assertThat(hospitalNames(designationsOn("15", "cooperating-hospital", "2026-09-01")))
                .containsExactlyInAnyOrder("新潟第二病院", "新潟第三病院");
    }

    // ---- a network larger than a page of search results (the server answers at most 200 per page)

    @Test
    void aNetworkWithMoreDesignationsThanAPageIsComparedWhole() {
        List<String> rows = cooperatingHospitals("27", "大阪", 230);
        ImportReport first = importFile("osaka-1.csv", csv(rows), false);
        assertThat(first.status()).isEqualTo(ImportReport.Status.APPLIED);

        List<String> later = rows.stream().map(r -> r.replace("2026-08-01", "2026-09-01")).toList();
        ImportReport same = importFile("osaka-2.csv", csv(later), false);
        assertThat(same.status()).as("every designation was seen, none taken for new").isEqualTo(ImportReport.Status.UNCHANGED);
        assertThat(same.counts().unchanged()).as("230 hospitals and their designations (no address: no site)").isEqualTo(2 * 230);

        ImportReport dropped = importFile("osaka-3.csv", csv(later.subList(1, 230).stream()
                .map(r -> r.replace("2026-09-01", "2026-10-01")).toList()), false);
        assertThat(dropped.counts()).isEqualTo(new ImportReport.Counts(0, 0, 1, 2 * 229));
    }

    @Test
    void aListWhoseTransactionIsLargerThanTheServerTakesIsRejectedSayingSo() {
        // 3,000 hospitals and their designations, and the prefecture's frame: over 2 MB
        assertRejectedAsTooLarge("28", "兵庫", 3000, "60\\d\\d");
    }

    @Test
    void aListWhoseTransactionHasMoreEntriesThanTheServerTakesIsRejectedSayingSo() {
        // 600 hospitals and their designations, and the prefecture's frame: under 2 MB, over 1,000 entries
        assertRejectedAsTooLarge("29", "奈良", 600, "12\\d\\d");
    }

    private void assertRejectedAsTooLarge(String prefecture, String prefectureName, int hospitals, String changesPattern) {
        ImportReport report = importFile(prefecture + "-all.csv", csv(cooperatingHospitals(prefecture, prefectureName, hospitals)), false);

        assertThat(report.status()).isEqualTo(ImportReport.Status.REJECTED);
        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.reasonJa()).containsPattern("1 つのトランザクション \\(" + changesPattern + " 件の変更\\)")
                    .contains("nanbyo.fhir.maximum-request-size", "nanbyo.fhir.maximum-bundle-entries");
            assertThat(problem.reasonEn()).contains("split the list");
        });
        assertThat(fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, prefecture + "10000001"))
                .returnBundle(Bundle.class).execute().getEntry()).as("nothing written").isEmpty();
    }

    /** A prefecture's list of cooperating hospitals without addresses: each row makes a hospital and its designation. */
    static List<String> cooperatingHospitals(String prefecture, String prefectureName, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(row(prefecture, String.format("%s1%07d", prefecture, i), prefectureName + "試験第" + i + "病院", "難病医療協力病院",
                    "", "2025-07-01", "2027-03-31", "2026-08-01"));
        }
        return rows;
    }

    // ---- rejections: a clear report, nothing changed

    @Test
    void everyKindOfBadFileIsRejectedWithAReportAndChangesNothing() throws IOException {
        String good = row("14", "1411111111", "神奈川第一病院", "難病医療協力病院", "", "2025-07-01", "2027-03-31", "2026-09-01");
        Map<String, byte[]> bad = Map.ofEntries(
                Map.entry("bad-code.csv", csv(List.of(good, row("14", "14111", "短い", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01")))),
                Map.entry("unknown-role.csv", csv(List.of(good, row("14", "1412222222", "病院B", "難病なんでも病院", "", "2025-07-01", "", "2026-09-01")))),
                Map.entry("impossible-date.csv", csv(List.of(good, row("14", "1412222222", "病院B", "難病医療協力病院", "", "2025-02-30", "", "2026-09-01")))),
                Map.entry("end-before-start.csv", csv(List.of(good, row("14", "1412222222", "病院B", "難病医療協力病院", "", "2025-07-01", "2025-06-30", "2026-09-01")))),
                Map.entry("duplicate-row.csv", csv(List.of(good, good))),
                Map.entry("missing-column.csv", ("都道府県コード,医療機関コード,医療機関名,指定開始日,基準日\n14,1411111111,病院,2025-07-01,2026-09-01\n").getBytes(StandardCharsets.UTF_8)),
                Map.entry("empty.csv", new byte[0]),
                Map.entry("euc-jp.csv", (HEADER + "\n" + good + "\n").getBytes(Charset.forName("EUC-JP"))),
                Map.entry("formula.xlsx", xlsxWithFormula(HEADER + "\n" + good)),
                Map.entry("huge.csv", hundredMegabytes()));
        for (Map.Entry<String, byte[]> file : bad.entrySet()) {
            ImportReport report = importFile(file.getKey(), file.getValue(), false);
            assertThat(report.status()).as(file.getKey()).isEqualTo(ImportReport.Status.REJECTED);
            assertThat(report.problems()).as(file.getKey()).isNotEmpty()
                    .allSatisfy(problem -> assertThat(problem.reasonJa()).isNotBlank())
                    .allSatisfy(problem -> assertThat(problem.reasonEn()).isNotBlank());
        }
        ImportReport unknownRole = importFile("unknown-role.csv", bad.get("unknown-role.csv"), false);
        assertThat(unknownRole.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.row()).isEqualTo(3);
            assertThat(problem.column()).isEqualTo("指定区分");
            assertThat(problem.value()).isEqualTo("難病なんでも病院");
            assertThat(problem.reasonEn()).contains("designation-roles.csv");
        });
        // A clerk fixing a list gets every problem in one report: an unknown role beside a row with a bad date, and in
        // the same row as one (with an unknown field too).
        ImportReport both = importFile("date-and-role.csv", csv(List.of(
                row("14", "1411111111", "神奈川第一病院", "難病医療協力病院", "", "2025-02-30", "", "2026-09-01"),
                row("14", "1412222222", "病院B", "難病なんでも病院", "", "2025-07-01", "", "2026-09-01"),
                row("14", "1413333333", "病院C", "難病なんでも病院", "なんでも科", "2025-07-01", "2025-06-30", "2026-09-01"))), false);
        assertThat(both.status()).isEqualTo(ImportReport.Status.REJECTED);
        assertThat(both.problems()).extracting(ImportProblem::row, ImportProblem::column)
                .containsExactly(tuple(2, "指定開始日"), tuple(3, "指定区分"), tuple(4, "指定終了日"), tuple(4, "指定区分"),
                        tuple(4, "専門分野"));
        assertThat(fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, "1411111111"))
                .returnBundle(Bundle.class).execute().getEntry())
                .as("the good row of a rejected file is not imported either").isEmpty();
    }

    // ---- the two ways in besides the direct route: HTTP upload and the watched folder

    @Test
    void uploadAnswersTheReport() throws Exception {
        byte[] list = csv(List.of(row("15", "1511111111", "新潟第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01")));
        HttpResponse<String> dryRun = upload("niigata.csv", list, true);
        assertThat(dryRun.statusCode()).isEqualTo(200);
        assertThat(dryRun.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("application/json"));
        assertThat(dryRun.body()).contains("\"status\" : \"dry-run\"", "新潟第一病院");

        HttpResponse<String> applied = upload("niigata.csv", list, false);
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(applied.body()).contains("\"status\" : \"applied\"");

        HttpResponse<String> rejected = upload("bad.csv", "no,such,header\n1,2,3\n".getBytes(StandardCharsets.UTF_8), false);
        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(rejected.body()).contains("\"status\" : \"rejected\"", "reasonJa", "reasonEn", "\"prefecture\" : null", "\"rows\" : 0");

        // A list rejected for a bad row still says what it is: its prefecture, 基準日 and rows.
        byte[] badDate = csv(List.of(row("15", "1511111112", "新潟第二病院", "難病医療協力病院", "", "2025-02-30", "", "2026-09-01")));
        HttpResponse<String> badRow = upload("niigata-bad.csv", badDate, false);
        assertThat(badRow.statusCode()).isEqualTo(422);
        assertThat(badRow.body()).contains("\"status\" : \"rejected\"", "\"prefecture\" : \"15\"", "\"referenceDate\" : \"2026-09-01\"",
                "\"rows\" : 1");
    }

    @Test
    void aDryRunThatCannotBeReadIsRefusedAndWritesNothing() throws Exception {
        byte[] list = csv(List.of(row("16", "1611111111", "富山第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01")));
        // An empty value (a blank form field in Postman) and two values: Spring would take the default (a real import) and the first.
        for (String query : List.of("?dryRun=", "?dryRun=true&dryRun=false", "?dryRun=yes")) {
            HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/import/designations" + query))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(list)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(raw.statusCode()).as(query + " " + raw.body()).isEqualTo(400);
            assertThat(raw.body()).contains("dryRun の値", "true または false", "true or false");
            HttpResponse<String> form = uploadForm(query, Map.of("file", new NamedFile("toyama.csv", list)));
            assertThat(form.statusCode()).as(query + " " + form.body()).isEqualTo(400);
        }
        HttpResponse<String> upperCase = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/import/designations?fileName=toyama.csv&dryRun=TRUE"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(list)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(upperCase.body()).as("TRUE is a dry run too").contains("\"status\" : \"dry-run\"");
        assertThat(fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, "1611111111"))
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    @Test
    void aFormWithoutItsBoundaryIsRefusedWithTheReport() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/import/designations?fileName=form.csv&dryRun=true"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("garbage")).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("\"status\" : \"rejected\"", "\"fileName\" : \"form.csv\"",
                "フォーム (multipart/form-data) を読めません", "cannot be read");
    }

    @Test
    void aListSentAsUrlEncodedAsCurlDoesByDefaultIsTheFileNotAForm() throws Exception {
        // `curl --data-binary @list.csv URL` without a Content-Type: the web server would read the body as form fields.
        byte[] list = csv(List.of(row("18", "1811111111", "福井第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01")));
        Function<String, HttpRequest> urlEncoded = query -> HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/import/designations" + query))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(list)).build();

        HttpResponse<String> dryRun = http.send(urlEncoded.apply("?fileName=%E7%A6%8F%E4%BA%95+list.csv&dryRun=true"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.body()).contains("\"status\" : \"dry-run\"", "\"fileName\" : \"福井 list.csv\"", "福井第一病院");

        HttpResponse<String> applied = http.send(urlEncoded.apply("?fileName=fukui.csv"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(applied.body()).contains("\"status\" : \"applied\"", "\"fileName\" : \"fukui.csv\"");

        HttpResponse<String> unreadable = http.send(urlEncoded.apply("?dryRun=maybe"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).contains("dryRun の値「maybe」を読めません");
    }

    @Test
    void uploadTakesAFormWithOneFileAndRefusesWhatItCannotImportWithAReport() throws Exception {
        byte[] list = csv(List.of(row("17", "1711111111", "石川第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01")));
        HttpResponse<String> dryRun = uploadForm("?dryRun=true", Map.of("file", new NamedFile("石川県一覧.csv", list)));
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.body()).contains("\"status\" : \"dry-run\"", "\"fileName\" : \"石川県一覧.csv\"", "石川第一病院");
        HttpResponse<String> applied = uploadForm("?fileName=ishikawa.csv&dryRun=false", Map.of("list", new NamedFile("x.csv", list)));
        assertThat(applied.body()).contains("\"status\" : \"applied\"", "\"fileName\" : \"ishikawa.csv\"");
        assertThat(applied.statusCode()).isEqualTo(200);

        HttpResponse<String> unreadable = uploadForm("?dryRun=maybe", Map.of("file", new NamedFile("x.csv", list)));
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).contains("dryRun の値「maybe」を読めません", "true or false");

        HttpResponse<String> noFile = uploadForm("", Map.of());
        assertThat(noFile.statusCode()).isEqualTo(422);
        assertThat(noFile.body()).contains("\"status\" : \"rejected\"", "1 つだけ", "exactly one file", "(0 attached)");
        HttpResponse<String> twoFiles = uploadForm("", Map.of("a", new NamedFile("a.csv", list), "b", new NamedFile("b.csv", list)));
        assertThat(twoFiles.statusCode()).isEqualTo(422);
        assertThat(twoFiles.body()).contains("(2 attached)");

        // Over the 10 MB limit: refused with the import's report, as a raw body and as a form, without holding it whole.
        HttpResponse<String> raw = upload("huge.csv", hundredMegabytes(), false);
        assertThat(raw.statusCode()).isEqualTo(422);
        assertThat(raw.body()).contains("\"fileName\" : \"huge.csv\"", "ファイルが大きすぎます（100 MB、上限 10 MB）", "the limit is 10 MB");
        HttpResponse<String> form = uploadForm("?fileName=huge-form.csv", Map.of("file", new NamedFile("huge.csv", hundredMegabytes())));
        assertThat(form.statusCode()).isEqualTo(422);
        assertThat(form.body()).contains("\"fileName\" : \"huge-form.csv\"", "上限 10 MB", "too large");
        // Sent in chunks, a form announces no length: the report says it is over the limit, not how large.
        HttpResponse<String> chunked = uploadForm("?fileName=chunked.csv", Map.of("file", new NamedFile("huge.csv", hundredMegabytes())), true);
        assertThat(chunked.statusCode()).isEqualTo(422);
        assertThat(chunked.body()).contains("ファイルが上限 10 MB を超えています", "The file is over the limit of 10 MB").doesNotContain("-0");
        // Each file under the limit, the form over it (Tomcat would write every part to disk): refused as a whole.
        byte[] sixMegabytes = Arrays.copyOf(list, 6 * 1024 * 1024);
        HttpResponse<String> manyParts = uploadForm("?fileName=many.csv", Map.of(
                "a", new NamedFile("a.csv", sixMegabytes), "b", new NamedFile("b.csv", sixMegabytes), "c", new NamedFile("c.csv", sixMegabytes)));
        assertThat(manyParts.statusCode()).isEqualTo(422);
        assertThat(manyParts.body()).contains("\"fileName\" : \"many.csv\"", "ファイルが大きすぎます（18", "上限 10 MB");

        assertThat(fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, "1711111111"))
                .returnBundle(Bundle.class).execute().getEntry()).as("created once, by the one import that was not a dry run").hasSize(1);
    }

    @Test
    void theWatchedFolderImportsAndFilesAwayWithTheReport() throws Exception {
        Path folder = DATA_DIR.resolve("import/designations");
        Files.createDirectories(folder);
        Files.write(folder.resolve("saitama.csv"),
                csv(List.of(row("11", "1111111111", "埼玉第一病院", "難病医療協力病院", "", "2025-07-01", "", "2026-09-01"))));
        Files.write(folder.resolve("broken.csv"), "都道府県コード\n11\n".getBytes(StandardCharsets.UTF_8));

        Path done = waitForFile(folder.resolve("done"), "saitama.csv.report.json");
        assertThat(Files.readString(done)).contains("\"status\" : \"applied\"");
        Path error = waitForFile(folder.resolve("error"), "broken.csv.report.json");
        assertThat(Files.readString(error)).contains("\"status\" : \"rejected\"", "医療機関コード");
        // The report is written first; Camel moves the file once the exchange is done.
        waitForFile(folder.resolve("done"), "-saitama.csv");
        assertThat(folder.resolve("saitama.csv")).doesNotExist();
    }

    @Test
    void aFileInTheWatchedFolderLargerThanTheServersMemoryIsRefusedUnread() throws Exception {
        Path folder = DATA_DIR.resolve("import/designations");
        Files.createDirectories(folder);
        // 3 GB, sparse: nothing is written to disk, and reading it whole would exhaust this JVM's heap.
        try (RandomAccessFile dump = new RandomAccessFile(folder.resolve("kanagawa-dump.csv").toFile(), "rw")) {
            dump.setLength(3L * 1024 * 1024 * 1024);
        }

        Path report = waitForFile(folder.resolve("error"), "kanagawa-dump.csv.report.json");
        assertThat(Files.readString(report)).contains("\"status\" : \"rejected\"", "ファイルが大きすぎます",
                "the limit is 10 MB");
        // The report is written first; Camel moves the file once the exchange is done.
        waitForFile(folder.resolve("error"), "-kanagawa-dump.csv");
        assertThat(folder.resolve("kanagawa-dump.csv")).doesNotExist();
    }

    // ---- helpers

    ImportReport importFile(String fileName, byte[] content, boolean dryRun) {
        return routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, content, Map.of(
                DesignationImportRoutes.FILE_NAME, fileName,
                DesignationImportRoutes.SOURCE, "test",
                DesignationImportRoutes.DRY_RUN, dryRun), ImportReport.class);
    }

    HttpResponse<String> upload(String fileName, byte[] content, boolean dryRun) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/import/designations?fileName=" + fileName + "&dryRun=" + dryRun))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    record NamedFile(String name, byte[] content) {
    }

    /** A multipart/form-data POST, as an HTML form or Postman's form-data sends it. */
    HttpResponse<String> uploadForm(String query, Map<String, NamedFile> files) throws Exception {
        return uploadForm(query, files, false);
    }

    /** @param chunked sent without its length, as a client streaming a form does */
    HttpResponse<String> uploadForm(String query, Map<String, NamedFile> files, boolean chunked) throws Exception {
        String boundary = "nanbyo-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, NamedFile> file : files.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey() + "\"; filename=\""
                    + file.getValue().name() + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(file.getValue().content());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfrom a form\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/import/designations" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.toByteArray()))
                        : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    Bundle designationsOn(String prefecture, String role, String day) {
        return designationsOn(fhir, prefecture, role, day);
    }

    /** Designations of prefecture P's network for role R whose period includes day D (FHIR date semantics on a Period). */
    static Bundle designationsOn(IGenericClient fhir, String prefecture, String role, String day) {
        return fhir.search().byUrl("OrganizationAffiliation?primary-organization.identifier="
                        + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + prefecture
                        + "&role=http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role|" + role
                        + "&date=ge" + day + "&date=le" + day
                        + "&_include=OrganizationAffiliation:participating-organization&_count=200")
                .returnBundle(Bundle.class).execute();
    }

    static List<String> hospitalNames(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(e -> e.getResource() instanceof Organization)
                .map(e -> ((Organization) e.getResource()).getName())
                .toList();
    }

    Organization hospital(String medicalInstitutionCode) {
        Bundle found = fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, medicalInstitutionCode))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as(medicalInstitutionCode).hasSize(1);
        return (Organization) found.getEntryFirstRep().getResource();
    }

    OrganizationAffiliation designation(String key) {
        Bundle found = fhir.search().forResource(OrganizationAffiliation.class)
                .where(OrganizationAffiliation.IDENTIFIER.exactly().systemAndCode(NanbyoIdentifierSystems.DESIGNATION, key))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as(key).hasSize(1);
        return (OrganizationAffiliation) found.getEntryFirstRep().getResource();
    }

    static String row(String prefecture, String code, String name, String role, String field, String start, String end,
            String referenceDate) {
        return String.join(",", prefecture, code, name, role, field, start, end, "", "", "", "", "", referenceDate);
    }

    static byte[] csv(List<String> rows) {
        return (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] example() throws IOException {
        try (InputStream in = DesignationImportIT.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
            assertThat(in).as(EXAMPLE).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The CSV's records (comments skipped) as a workbook's first sheet, every cell a string. */
    static byte[] xlsx(String csvText) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = workbook.createSheet("指定一覧");
            int r = 0;
            for (String line : csvText.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                var row = sheet.createRow(r++);
                String[] cells = line.split(",", -1);
                for (int c = 0; c < cells.length; c++) {
                    row.createCell(c).setCellValue(cells[c].replace("\"", ""));
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    static byte[] xlsxWithFormula(String csvText) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet sheet = workbook.createSheet("指定一覧");
            String[] lines = csvText.split("\n");
            for (int r = 0; r < lines.length; r++) {
                var row = sheet.createRow(r);
                String[] cells = lines[r].split(",", -1);
                for (int c = 0; c < cells.length; c++) {
                    row.createCell(c).setCellValue(cells[c]);
                }
            }
            sheet.getRow(1).getCell(2).setCellFormula("CONCATENATE(\"神奈川\",\"病院\")");
            workbook.write(out);
            return out.toByteArray();
        }
    }

    static byte[] hundredMegabytes() {
        byte[] huge = new byte[100 * 1024 * 1024];
        byte[] header = (HEADER + "\n").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(header, 0, huge, 0, header.length);
        Arrays.fill(huge, header.length, huge.length, (byte) ',');
        return huge;
    }

    static Path waitForFile(Path folder, String suffix) throws Exception {
        AtomicReference<Path> found = new AtomicReference<>();
        Eventually.waitUntil(Duration.ofSeconds(60), "a " + suffix + " in " + folder, () -> {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().ifPresent(found::set);
                }
            }
            return found.get() != null;
        });
        return found.get();
    }
}
