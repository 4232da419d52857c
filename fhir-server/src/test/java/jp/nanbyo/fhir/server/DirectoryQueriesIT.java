package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The questions the directory exists for (docs/directory.md), each asked exactly as documented, on PostgreSQL
 * with the demo network (Gunma: 74 hospitals, their designations and illustrative services) and a small
 * Saitama network of our own that has what Gunma lacks: a field-specific hub, a 移行期医療支援センター, and a
 * designation that a later list ends. Nothing here writes to Gunma, so the tests share one directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectoryQueriesIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-directory-data-");
    static final String HEADER = "都道府県コード,医療機関コード,医療機関名,指定区分,専門分野,指定開始日,指定終了日,二次医療圏,郵便番号,所在地,電話番号,備考,基準日";
    static final String NETWORK = "http://nanbyo.jp/fhir/sid/prefecture-network|";
    static final String ROLE = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role|";
    static final String AREA = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-secondary-medical-area|";
    static final String MEDICAL_INSTITUTION = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no|";
    static final String DIRECTORY_LEVEL = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-jurisdiction-level|";
    static final String NUMATA = "1008";
    static final List<String> NUMATA_COOPERATING = List.of("利根保健生活協同組合 利根中央病院", "医療法人パテラ会 月夜野病院",
            "医療法人社団ほたか会 群馬パース病院", "医療法人高徳会 上牧温泉病院", "社会医療法人輝城会 沼田脳神経外科循環器科病院");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        registry.add("nanbyo.demo-data", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    MeterRegistry metrics;

    final HttpClient http = HttpClient.newHttpClient();
    final FhirContext fhirContext = FhirContext.forR4Cached();

    /** Saitama: four hubs, a field hub for 神経・筋疾患, a transition center; the second list ends one hub on 2026-09-30. */
    @BeforeAll
    void saitamaNetwork() {
        List<String> first = List.of(
                row("1112401966", "埼玉医科大学病院", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", "2026-04-01"),
                row("1110402594", "埼玉医科大学総合医療センター", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", ""),
                row("1110304048", "自治医科大学附属さいたま医療センター", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", ""),
                row("1110801563", "獨協医科大学埼玉医療センター", "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", ""),
                row("1119900010", "国立病院機構東埼玉病院", "難病診療分野別拠点病院", "神経・筋疾患", "2025-04-01", "2027-03-31", ""),
                row("1110402594", "埼玉医科大学総合医療センター", "移行期医療支援センター", "", "2025-10-01", "", ""));
        assertThat(importList("saitama-1.csv", first).status()).isEqualTo(ImportReport.Status.APPLIED);
        // The second list drops 獨協 (ended the day before its 基準日) and carries the new 基準日 on its first row.
        List<String> second = new ArrayList<>(first.stream().filter(row -> !row.contains("1110801563")).toList());
        second.set(0, second.get(0).replace("2026-04-01", "2026-10-01"));
        assertThat(importList("saitama-2.csv", second).status()).isEqualTo(ImportReport.Status.APPLIED);
    }

    // ---- question 1: who is (was) designated as role R in prefecture P on date D

    @Test
    void whoIsDesignatedIsRightOnBothSidesOfAPeriodAndAfterItEnded() {
        String hub = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "11&role=" + ROLE + "hub-hospital"
                + "&_include=OrganizationAffiliation:participating-organization&date=ge%1$s&date=le%1$s";
        assertThat(names(search(hub.formatted("2025-03-31")))).as("the day before the periods start").isEmpty();
        assertThat(names(search(hub.formatted("2025-04-01")))).as("the first day").hasSize(4);
        assertThat(names(search(hub.formatted("2026-09-30")))).as("the last day of the ended designation")
                .contains("獨協医科大学埼玉医療センター").hasSize(4);
        assertThat(names(search(hub.formatted("2026-10-01")))).as("the day the second list ended it")
                .doesNotContain("獨協医科大学埼玉医療センター").hasSize(3);
        assertThat(names(search(hub.formatted("2027-03-31")))).as("the last day of the periods").hasSize(3);
        assertThat(names(search(hub.formatted("2027-04-01")))).as("after the periods").isEmpty();

        // date=D alone (FHIR's eq: periods lying within the day) finds none, and the answer says how to ask instead.
        Bundle onTheDay = search("OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "11&role=" + ROLE
                + "hub-hospital&date=2025-04-01");
        assertThat(matches(onTheDay, OrganizationAffiliation.class)).isEmpty();
        assertThat(onTheDay.getEntry()).singleElement().satisfies(entry -> {
            assertThat(entry.getSearch().getMode()).isEqualTo(SearchEntryMode.OUTCOME);
            assertThat(((OperationOutcome) entry.getResource()).getIssueFirstRep().getDiagnostics())
                    .contains("date=ge2025-04-01&date=le2025-04-01", "FHIR の eq", "in force on 2025-04-01");
        });
        assertThat(search(hub.formatted("2025-04-01")).getEntry()).as("no hint for the as-of form")
                .noneMatch(entry -> entry.getSearch().getMode() == SearchEntryMode.OUTCOME);

        Bundle ended = search("OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "11&active=false");
        assertThat(matches(ended, OrganizationAffiliation.class)).singleElement()
                .satisfies(d -> assertThat(d.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-09-30"));
    }

    @Test
    void theDesignatedOperationAnswersWhatTheStandardSearchAnswersFromNamesAndEraDates() {
        Bundle byNames = operation("OrganizationAffiliation/$designated", Map.of(
                "prefecture", "埼玉県", "role", "難病診療連携拠点病院", "date", "令和8年9月30日"));
        Bundle standard = search("OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "11&role=" + ROLE
                + "hub-hospital&date=ge2026-09-30&date=le2026-09-30&_include=OrganizationAffiliation:participating-organization");
        assertThat(ids(matches(byNames, OrganizationAffiliation.class))).containsExactlyInAnyOrderElementsOf(
                ids(matches(standard, OrganizationAffiliation.class))).hasSize(4);
        assertThat(names(byNames)).containsExactlyInAnyOrderElementsOf(names(standard));
        OperationOutcome explanation = outcome(byNames);
        assertThat(explanation.getIssueFirstRep().getDiagnostics()).contains("埼玉県", "2026-09-30",
                "OrganizationAffiliation?primary-organization.identifier=");

        Bundle gunmaHub = operation("OrganizationAffiliation/$designated", Map.of("prefecture", "10", "role", "hub-hospital", "date", "R7.4.1"));
        assertThat(names(gunmaHub)).containsExactly("群馬大学医学部附属病院");
        Bundle numata = operation("OrganizationAffiliation/$designated", Map.of("prefecture", "群馬", "area", "沼田", "date", "2026-01-01"));
        assertThat(names(numata)).containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);
    }

    @Test
    void theDesignatedOperationRejectsWhatItCannotReadWithAnOperationOutcome() {
        assertBadRequest("OrganizationAffiliation/$designated", Map.of("prefecture", "架空県"), "prefecture", "都道府県");
        assertBadRequest("OrganizationAffiliation/$designated", Map.of("prefecture", "10", "role", "名誉病院"), "role", "指定区分");
        assertBadRequest("OrganizationAffiliation/$designated", Map.of("prefecture", "10", "date", "令和7年2月30日"), "date");
        assertBadRequest("OrganizationAffiliation/$designated", Map.of("role", "hub-hospital"), "prefecture は必須です", "required");
        OperationOutcome twice = get("OrganizationAffiliation/$designated?prefecture=10&role=hub-hospital&role=cooperating-hospital",
                400, OperationOutcome.class);
        assertThat(twice.getIssueFirstRep().getDiagnostics()).contains("role: 2 回指定");
        // A misspelt parameter would otherwise be dropped unsaid: every role instead of the hubs.
        assertBadRequest("OrganizationAffiliation/$designated", Map.of("prefecture", "10", "roll", "hub-hospital"),
                "roll: この操作のパラメーターではありません", "prefecture, role, field, area, date");
        get("OrganizationAffiliation/$designated?prefecture=10&_format=json", 200, Bundle.class);
    }

    // ---- question 1 answered from memory (InMemoryDesignationSearch): the same answer as HAPI's search

    @Test
    void designationSearchesFromMemoryAnswerWhatHapisOwnSearchAnswers() {
        List<String> roles = List.of("", "&role=" + ROLE + "hub-hospital", "&role=" + ROLE + "cooperating-hospital",
                "&role=cooperating-hospital", "&role=" + ROLE + "hub-hospital," + ROLE + "transition-support-center",
                "&role=" + ROLE + "field-hub-hospital", "&role=" + ROLE + "no-such-role");
        // Both sides of Gunma's starts (04-01, 07-01) and ends (03-31), Saitama's ended hub (09-30) and its open-ended
        // transition center, one side of a period only, a range, and no date at all.
        List<String> dates = List.of("", "&date=ge2025-03-31&date=le2025-03-31", "&date=ge2025-04-01&date=le2025-04-01",
                "&date=ge2025-06-30&date=le2025-06-30", "&date=ge2025-07-01&date=le2025-07-01", "&date=ge2026-09-30&date=le2026-09-30",
                "&date=ge2026-10-01&date=le2026-10-01", "&date=ge2027-03-31&date=le2027-03-31", "&date=le2027-04-01&date=ge2027-04-01",
                "&date=ge2030-01-01", "&date=le2025-09-30", "&date=ge2025-10-01&date=le2026-03-31");
        List<String> includes = List.of("&_include=OrganizationAffiliation:participating-organization", "",
                "&_include=OrganizationAffiliation:location&_include=OrganizationAffiliation:participating-organization");
        double before = searches("memory");
        int asked = 0;
        for (String prefecture : List.of("10", "11")) {
            for (String role : roles) {
                for (String date : dates) {
                    String query = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + prefecture + role + date
                            + includes.get(asked % includes.size()) + "&_count=200";
                    assertSameAnswer(query, search(query), searchUncached(query));
                    asked++;
                }
            }
        }
        assertThat(searches("memory") - before).as("every one of them answered from memory").isEqualTo(asked);
    }

    @Test
    void pagesFromMemoryCarryEveryMatchOnceWithTheHospitalsOfThatPage() {
        String query = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "10&role=" + ROLE + "cooperating-hospital"
                + "&date=ge2026-01-01&date=le2026-01-01&_include=OrganizationAffiliation:participating-organization";
        List<String> all = ids(matches(searchUncached(query + "&_count=200"), OrganizationAffiliation.class));
        assertThat(all).hasSizeGreaterThan(60);
        Bundle page = search(query + "&_count=7");
        List<String> walked = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            List<OrganizationAffiliation> designations = matches(page, OrganizationAffiliation.class);
            assertThat(page.getTotal()).isEqualTo(all.size());
            assertThat(included(page)).as("the hospitals of this page's designations, no others")
                    .containsExactlyInAnyOrderElementsOf(designations.stream()
                            .map(d -> d.getParticipatingOrganization().getReference()).distinct().toList());
            assertThat(page.getLink("previous") != null).as("a previous link from the second page on").isEqualTo(pages > 1);
            walked.addAll(ids(designations));
            if (page.getLink("next") == null) {
                break;
            }
            assertThat(designations).hasSize(7);
            page = fhirContext.newJsonParser().parseResource(Bundle.class,
                    exchange(HttpRequest.newBuilder(URI.create(page.getLink("next").getUrl())).header("Accept", "application/fhir+json").GET(), 200));
        }
        assertThat(pages).isEqualTo((all.size() + 6) / 7);
        assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aDirectoryChangeIsInTheVeryNextAnswerFromMemory() {
        String hubs = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "13&role=" + ROLE + "hub-hospital"
                + "&date=ge2026-06-01&date=le2026-06-01&_include=OrganizationAffiliation:participating-organization";
        assertThat(importList("tokyo-1.csv", List.of(tokyoHub("1310000001", "東京第一病院", "2026-04-01"))).status())
                .isEqualTo(ImportReport.Status.APPLIED);
        double before = searches("memory");
        assertThat(names(search(hubs))).containsExactly("東京第一病院");
        assertThat(names(search(hubs))).containsExactly("東京第一病院");

        // A second hub, and the first one renamed: both in the next answer, the included hospital with its new name.
        assertThat(importList("tokyo-2.csv", List.of(tokyoHub("1310000001", "東京第一総合病院", "2026-05-01"),
                tokyoHub("1310000002", "東京第二病院", ""))).status()).isEqualTo(ImportReport.Status.APPLIED);
        assertThat(names(search(hubs))).containsExactlyInAnyOrder("東京第一総合病院", "東京第二病院");
        // The first one dropped by the next list: ended the day before, so June answers the second one only.
        assertThat(importList("tokyo-3.csv", List.of(tokyoHub("1310000002", "東京第二病院", "2026-06-01"))).status())
                .isEqualTo(ImportReport.Status.APPLIED);
        assertThat(names(search(hubs))).containsExactly("東京第二病院");
        assertThat(names(search(hubs.replace("2026-06-01", "2026-05-31")))).containsExactlyInAnyOrder("東京第一総合病院", "東京第二病院");
        assertThat(searches("memory") - before).as("all from memory").isEqualTo(5);
        // The operations read the same memory.
        assertThat(names(operation("OrganizationAffiliation/$designated", Map.of("prefecture", "13", "role", "hub-hospital",
                "date", "2026-06-01")))).containsExactly("東京第二病院");
    }

    /** `$meta-add` and `$meta-delete` change tags without a new version; the next answer from memory shows them all the same. */
    @Test
    void aTagAddedOrRemovedWithMetaOperationsIsInTheVeryNextAnswerFromMemory() {
        String hubs = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "14&role=" + ROLE + "hub-hospital"
                + "&_include=OrganizationAffiliation:participating-organization";
        assertThat(importList("kanagawa-1.csv", List.of(tokyoHub("1410000001", "神奈川第一病院", "2026-04-01").replaceFirst("^13", "14")))
                .status()).isEqualTo(ImportReport.Status.APPLIED);
        Bundle before = search(hubs);
        OrganizationAffiliation designation = matches(before, OrganizationAffiliation.class).get(0);
        String hospital = designation.getParticipatingOrganization().getReference();
        double fromMemory = searches("memory");

        String tag = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"tag\":"
                + "[{\"system\":\"http://example.org/review\",\"code\":\"under-review\"}]}}]}";
        postOperation(ids(List.of(designation)).get(0) + "/$meta-add", tag);
        postOperation(hospital + "/$meta-add", tag);
        Bundle tagged = search(hubs);
        assertThat(tagCodes(matches(tagged, OrganizationAffiliation.class).get(0))).containsExactly("under-review");
        assertThat(tagCodes(includedHospital(tagged))).as("the included hospital").containsExactly("under-review");

        postOperation(ids(List.of(designation)).get(0) + "/$meta-delete", tag);
        postOperation(hospital + "/$meta-delete", tag);
        Bundle untagged = search(hubs);
        assertThat(tagCodes(matches(untagged, OrganizationAffiliation.class).get(0))).isEmpty();
        assertThat(tagCodes(includedHospital(untagged))).isEmpty();
        assertThat(searches("memory") - fromMemory).as("both from memory").isEqualTo(2);
        assertSameAnswer(hubs, untagged, searchUncached(hubs));
    }

    @Test
    void searchesInAnotherShapeGoToHapiAndStillAnswer() {
        String hub = "OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "10&role=" + ROLE + "hub-hospital"
                + "&date=ge2026-01-01&date=le2026-01-01";
        double before = searches("hapi");
        assertThat(matches(search(hub + "&active=true"), OrganizationAffiliation.class)).as("another parameter").hasSize(1);
        assertThat(matches(search(hub.replace("&role=", "&role:not=") + "&_count=200"), OrganizationAffiliation.class)).as("a modifier").hasSizeGreaterThan(60);
        assertThat(matches(search(hub + "&_elements=period"), OrganizationAffiliation.class)).as("_elements").hasSize(1);
        assertThat(matches(search(hub.replace("date=ge2026-01-01", "date=gt2025-12-31")), OrganizationAffiliation.class))
                .as("another prefix").hasSize(1);
        assertThat(matches(searchUncached(hub), OrganizationAffiliation.class)).as("Cache-Control: no-cache").hasSize(1);
        String xml = exchange(request(encode(hub)).setHeader("Accept", "application/fhir+xml").GET(), 200);
        assertThat(xml).startsWith("<Bundle");
        assertThat(searches("hapi") - before).isEqualTo(6);
        // An impossible day is HAPI's to refuse, in its own words.
        get("OrganizationAffiliation?primary-organization.identifier=" + NETWORK + "10&date=ge2026-13-45", 400, OperationOutcome.class);
    }

    // ---- the other questions

    @Test
    void cooperatingHospitalsServingAnAreaAndTheHospitalsWithinIt() {
        Bundle serving = search("OrganizationAffiliation?role=" + ROLE + "cooperating-hospital&location.identifier=" + AREA + NUMATA
                + "&date=ge2026-01-01&date=le2026-01-01&_include=OrganizationAffiliation:participating-organization");
        assertThat(names(serving)).containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);

        // Jurisdiction hierarchy: areas of the prefecture, sites within an area and within the prefecture.
        String gunma = "http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits|10";
        assertThat(search("Location?partof.identifier=" + gunma + "&_summary=count").getTotal()).as("Gunma's 二次医療圏").isEqualTo(10);
        Bundle sitesInNumata = search("Location?partof:Location.partof:Location.identifier=" + AREA + NUMATA
                + "&_include=Location:organization");
        assertThat(names(sitesInNumata)).containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);
        String prefectureId = matches(search("Location?identifier=" + gunma), Resource.class).get(0).getIdElement().getIdPart();
        assertThat(search("Location?partof.partof.partof=Location/" + prefectureId + "&_summary=count").getTotal())
                .as("every site in Gunma: site → municipality → area → prefecture").isEqualTo(74);
        String numataId = matches(search("Location?identifier=" + AREA + NUMATA), Resource.class).get(0).getIdElement().getIdPart();
        assertThat(names(search("Organization?_has:Location:organization:partof.partof=Location/" + numataId)))
                .as("hospitals in 沼田 through their sites").containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);
    }

    @Test
    void fieldHubsOfADiseaseFieldAndTheTransitionCenterOfAPrefecture() {
        String fieldHubs = "OrganizationAffiliation?role=" + ROLE + "field-hub-hospital"
                + "&specialty=http://nanbyo.jp/fhir/CodeSystem/nanbyo-disease-field|neuromuscular"
                + "&date=ge2026-11-01&date=le2026-11-01&_include=OrganizationAffiliation:participating-organization";
        assertThat(names(search(fieldHubs + "&primary-organization.identifier=" + NETWORK + "11"))).containsExactly("国立病院機構東埼玉病院");
        assertThat(names(search(fieldHubs + "&primary-organization.identifier=" + NETWORK + "10"))).as("Gunma has none").isEmpty();
        assertThat(names(search(fieldHubs))).as("nationwide").containsExactly("国立病院機構東埼玉病院");

        String center = "OrganizationAffiliation?role=" + ROLE + "transition-support-center&date=ge2026-11-01&date=le2026-11-01"
                + "&_include=OrganizationAffiliation:participating-organization&_include=OrganizationAffiliation:location"
                + "&primary-organization.identifier=" + NETWORK;
        assertThat(names(search(center + "11"))).containsExactly("埼玉医科大学総合医療センター");
        assertThat(names(search(center + "10"))).as("Gunma is still planning one").isEmpty();
        assertThat(names(search(center.replace("2026-11-01", "2025-09-30") + "11"))).as("before it opened").isEmpty();
    }

    @Test
    void respiteAdmissionInAnAreaAndServicesAcceptingReferralsNow() {
        String respite = "HealthcareService?service-type=http://nanbyo.jp/fhir/CodeSystem/nanbyo-service-type|respite-admission"
                + "&active=true&coverage-area.identifier=" + AREA + NUMATA + "&_include=HealthcareService:organization";
        assertThat(names(search(respite))).containsExactlyInAnyOrder("利根保健生活協同組合 利根中央病院", "医療法人高徳会 上牧温泉病院");
        assertThat(names(search(respite + "&accepting-referrals=true"))).containsExactly("利根保健生活協同組合 利根中央病院");

        Bundle online = search("HealthcareService?active=true&accepting-referrals=true&delivery-method=online");
        assertThat(matches(online, Resource.class)).extracting(r -> ((org.hl7.fhir.r4.model.HealthcareService) r).getName())
                .containsExactlyInAnyOrder("難病の診断（全分野）", "遺伝カウンセリング");
        Bundle inPerson = search("HealthcareService?active=true&accepting-referrals=true&delivery-method=in-person&_summary=count");
        assertThat(inPerson.getTotal()).as("all but the training (no referrals) and the paused respite").isEqualTo(84);
    }

    @Test
    void mcsdFindMatchingCareServicesParametersIncludesAndPostSearch() {
        String hub = matches(search("Organization?identifier=" + MEDICAL_INSTITUTION + "1017010016"), Organization.class).get(0)
                .getIdElement().toUnqualifiedVersionless().getValue();
        String site = matches(search("Location?organization=" + hub), Resource.class).get(0).getIdElement().toUnqualifiedVersionless().getValue();
        String endpoint = post("""
                {"resourceType":"Endpoint","meta":{"profile":["%s"]},"identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:uuid:7d4f7a4e-5b55-4c1e-9d53-0c0f7b1f6a01"}],
                 "status":"active","connectionType":{"system":"http://terminology.hl7.org/CodeSystem/endpoint-connection-type","code":"hl7-fhir-rest"},
                 "name":"群馬大学医学部附属病院 FHIR","managingOrganization":{"reference":"%s"},
                 "payloadType":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/endpoint-payload-type","code":"any"}]}],
                 "address":"https://fhir.example.jp/gunma-university-hospital/fhir"}""".formatted(NanbyoPackage.PROFILE_ENDPOINT, hub));
        String practitioner = post("""
                {"resourceType":"Practitioner","identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:uuid:0b6b1f6e-1c6e-4bb8-9b0e-7f3c8a1d2e02"}],
                 "active":true,"name":[{"family":"上野","given":["花子"],"text":"上野 花子"},{"family":"ウエノ","given":["ハナコ"]}]}""");
        String service = matches(search("HealthcareService?organization=" + hub + "&name:exact=遺伝カウンセリング"), Resource.class).get(0)
                .getIdElement().toUnqualifiedVersionless().getValue();
        post("""
                {"resourceType":"PractitionerRole","identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:uuid:3c2a9e51-8d1f-4f0e-a7b4-5e6f7a8b9c03"}],
                 "active":true,"practitioner":{"reference":"%s"},"organization":{"reference":"%s"},"location":[{"reference":"%s"}],
                 "healthcareService":[{"reference":"%s"}],
                 "code":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/practitioner-role","code":"nurse"}],"text":"難病医療コーディネーター"}],
                 "specialty":[{"coding":[{"system":"http://nanbyo.jp/fhir/CodeSystem/nanbyo-disease-field","code":"neuromuscular"}]}]}"""
                .formatted(practitioner, hub, site, service));

        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("Organization?name:contains=大学医学部&_id=" + hub.substring(13), 1);
        expected.put("Organization?name:exact=群馬大学医学部附属病院&active=true", 1);
        expected.put("Organization?name:exact=群馬大学", 0);
        expected.put("Organization?type=http://nanbyo.jp/fhir/CodeSystem/nanbyo-organization-type|hospital&prefecture=10", 74);
        expected.put("Organization?partof.identifier=http://nanbyo.jp/fhir/sid/local-government-code|100005", 1);
        expected.put("Organization?_lastUpdated=ge2020-01-01&identifier=" + MEDICAL_INSTITUTION + "1017010016", 1);
        expected.put("Organization?_lastUpdated=sa2020-01-01&identifier=" + MEDICAL_INSTITUTION + "1017010016", 1);
        expected.put("Organization?_lastUpdated=eb2020-01-01&identifier=" + MEDICAL_INSTITUTION + "1017010016", 0);
        expected.put("Location?name:contains=沼田&type=" + DIRECTORY_LEVEL + "secondary-area", 1);
        expected.put("Location?organization=" + hub + "&status=active", 1);
        expected.put("Location?identifier=" + MEDICAL_INSTITUTION + "1017010016&partof.identifier=http://nanbyo.jp/fhir/sid/municipality|10:前橋市", 1);
        expected.put("HealthcareService?organization=" + hub + "&location=" + site + "&service-type=http://nanbyo.jp/fhir/CodeSystem/nanbyo-service-type|diagnosis", 2);
        expected.put("HealthcareService?identifier=http://nanbyo.jp/fhir/sid/healthcare-service|1017010016:genetic-testing&active=true", 1);
        expected.put("HealthcareService?name:contains=レスパイト", 5);
        expected.put("Endpoint?organization=" + hub + "&status=active&connection-type=hl7-fhir-rest", 1);
        expected.put("Endpoint?identifier=urn:uuid:7d4f7a4e-5b55-4c1e-9d53-0c0f7b1f6a01", 1);
        expected.put("Practitioner?family=上野&given=花子&active=true", 1);
        expected.put("Practitioner?name:contains=ハナ", 1);
        expected.put("Practitioner?name:exact=上野&identifier=urn:uuid:0b6b1f6e-1c6e-4bb8-9b0e-7f3c8a1d2e02", 1);
        expected.put("PractitionerRole?practitioner=" + practitioner + "&organization=" + hub + "&location=" + site + "&service=" + service
                + "&role=nurse&specialty=neuromuscular&active=true", 1);
        expected.put("OrganizationAffiliation?participating-organization=" + hub + "&active=true&role=hub-hospital&date=ge2026-01-01", 1);
        expected.put("OrganizationAffiliation?identifier=http://nanbyo.jp/fhir/sid/designation|10:1017010016:hub-hospital::2025-04-01", 1);
        expected.forEach((query, total) -> assertThat(search(query + "&_total=accurate").getTotal()).as(query).isEqualTo(total));

        Map<String, Long> withPractitioner = typesOf(search("PractitionerRole?organization=" + hub + "&_include=PractitionerRole:practitioner"));
        assertThat(withPractitioner).containsEntry("PractitionerRole", 1L).containsEntry("Practitioner", 1L);
        Map<String, Long> withNetwork = typesOf(search("OrganizationAffiliation?participating-organization=" + hub
                + "&_include=OrganizationAffiliation:primary-organization&_include=OrganizationAffiliation:participating-organization"));
        assertThat(withNetwork).containsEntry("OrganizationAffiliation", 1L).containsEntry("Organization", 2L);
        Map<String, Long> sitesWithOrganizations = typesOf(search("Location?partof:Location.partof:Location.identifier=" + AREA + NUMATA
                + "&_include=Location:organization"));
        assertThat(sitesWithOrganizations).containsEntry("Location", 5L).containsEntry("Organization", 5L);
        Map<String, Long> everything = typesOf(search("Organization?_id=" + hub.substring(13)
                + "&_revinclude=OrganizationAffiliation:participating-organization&_revinclude=HealthcareService:organization"
                + "&_revinclude=Location:organization&_revinclude=Endpoint:organization&_revinclude=PractitionerRole:organization"));
        assertThat(everything).containsEntry("Organization", 1L).containsEntry("OrganizationAffiliation", 1L)
                .containsEntry("HealthcareService", 6L).containsEntry("Location", 1L).containsEntry("Endpoint", 1L)
                .containsEntry("PractitionerRole", 1L);
        assertThat(matches(search("Endpoint?organization=" + hub), Resource.class)).extracting(r -> r.getIdElement().toUnqualifiedVersionless().getValue())
                .containsExactly(endpoint);

        Bundle posted = postSearch("Organization/_search", "name:contains=大学医学部&type=hospital");
        assertThat(names(posted)).containsExactly("群馬大学医学部附属病院");
    }

    // ---- the care finder

    @Test
    void diagnosisOfANeuromuscularDiseaseInNumataLeadsToThePrefecturalHub() {
        Bundle found = operation("$find-care", Map.of("service", "diagnosis", "disease", "2", "municipality", "沼田市", "date", "2026-11-01"));
        List<BundleEntryComponent> candidates = candidates(found);
        assertThat(name(candidates.get(0))).isEqualTo("群馬大学医学部附属病院");
        assertThat(reasons(candidates.get(0))).contains("prefectural-hub", "offers-service", "eligible-disease", "accepting-referrals");
        assertThat(candidates.get(0).getSearch().getScore().doubleValue()).isGreaterThan(candidates.get(1).getSearch().getScore().doubleValue());
        // Next come the cooperating hospitals of 沼田, which see the patient first and refer on.
        assertThat(candidates.subList(1, 6)).extracting(DirectoryQueriesIT::name).containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);
        assertThat(reasons(candidates.get(1))).containsExactly("cooperating-hospital", "same-area");
        assertThat(outcome(found).getIssueFirstRep().getDiagnostics()).contains("筋萎縮性側索硬化症", "神経・筋疾患", "沼田");
        assertThat(found.getEntry()).filteredOn(e -> e.getSearch().getMode() == SearchEntryMode.INCLUDE)
                .extracting(e -> e.getResource().fhirType()).contains("OrganizationAffiliation", "HealthcareService");
    }

    @Test
    void continuingCareLeadsToTheCooperatingHospitalsOfThePatientsAreaFirst() {
        Bundle found = operation("$find-care", Map.of("service", "continuing-care", "disease", "筋萎縮性側索硬化症",
                "municipality", "みなかみ町", "count", "8"));
        List<BundleEntryComponent> candidates = candidates(found);
        assertThat(candidates).hasSize(8);
        assertThat(candidates.subList(0, 5)).extracting(DirectoryQueriesIT::name).containsExactlyInAnyOrderElementsOf(NUMATA_COOPERATING);
        assertThat(reasons(candidates.get(0))).contains("cooperating-hospital", "same-area", "offers-service");
        assertThat(candidates.subList(5, 8)).extracting(DirectoryQueriesIT::name).doesNotContainAnyElementsOf(NUMATA_COOPERATING);
        assertThat(found.getTotal()).as("every Gunma hospital with a role in continuing care").isGreaterThan(70);
    }

    @Test
    void respiteAdmissionRanksAcceptingServicesOfTheAreaFirstAndSkipsAPausedOne() {
        List<BundleEntryComponent> candidates = candidates(operation("$find-care", Map.of("service", "respite-admission", "area", "沼田")));
        assertThat(name(candidates.get(0))).isEqualTo("利根保健生活協同組合 利根中央病院");
        assertThat(reasons(candidates.get(0))).contains("offers-service", "same-area", "accepting-referrals");
        BundleEntryComponent paused = candidates.stream().filter(c -> name(c).equals("医療法人高徳会 上牧温泉病院")).findFirst().orElseThrow();
        assertThat(reasons(paused)).as("a service not accepting referrals is not offered").doesNotContain("offers-service");
    }

    @Test
    void aFieldHubComesBeforeThePrefecturalHubsForItsFieldAndTheTransitionCenterLeadsTransitionCare() {
        List<BundleEntryComponent> diagnosis = candidates(operation("$find-care", Map.of("service", "diagnosis", "disease", "2", "prefecture", "11")));
        assertThat(name(diagnosis.get(0))).isEqualTo("国立病院機構東埼玉病院");
        assertThat(reasons(diagnosis.get(0))).containsExactly("field-hub");
        assertThat(diagnosis.subList(1, 4)).allSatisfy(c -> assertThat(reasons(c)).contains("prefectural-hub"));

        List<BundleEntryComponent> immunological = candidates(operation("$find-care", Map.of("service", "diagnosis", "field", "免疫疾患", "prefecture", "埼玉県")));
        assertThat(immunological).noneSatisfy(c -> assertThat(name(c)).isEqualTo("国立病院機構東埼玉病院"));

        List<BundleEntryComponent> transition = candidates(operation("$find-care", Map.of("service", "transition-care", "prefecture", "11")));
        assertThat(name(transition.get(0))).isEqualTo("埼玉医科大学総合医療センター");
        assertThat(reasons(transition.get(0))).contains("transition-center");
    }

    @Test
    void theCareFinderRejectsWhatItCannotReadWithAnOperationOutcome() {
        assertBadRequest("$find-care", Map.of("service", "マッサージ", "prefecture", "10"), "service");
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "municipality", "架空市"), "municipality");
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "disease", "999", "prefecture", "10"), "disease");
        assertBadRequest("$find-care", Map.of("service", "diagnosis"), "municipality", "area", "prefecture");
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "prefecture", "10", "delivery", "fax"), "delivery");
        assertBadRequest("$find-care", Map.of("prefecture", "10"), "service は必須です", "required", "diagnosis");
        OperationOutcome twice = get("$find-care?service=diagnosis&service=genetic-testing&prefecture=10", 400, OperationOutcome.class);
        assertThat(twice.getIssueFirstRep().getDiagnostics()).contains("service: 2 回指定", "given 2 times");
        OperationOutcome twiceInBody = fhirContext.newJsonParser().parseResource(OperationOutcome.class, exchange(request("$find-care")
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"service\",\"valueString\":\"diagnosis\"},"
                                + "{\"name\":\"prefecture\",\"valueString\":\"10\"},{\"name\":\"prefecture\",\"valueString\":\"11\"}]}")), 400));
        assertThat(twiceInBody.getIssueFirstRep().getDiagnostics()).contains("prefecture: 2 回指定");
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "prefecture", "10", "count", "0"), "count: 1 以上", "give 1 or more");
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "prefecture", "10", "sevrice", "x"), "sevrice", "not a parameter");
        // Two places that disagree: which one was meant is unknown.
        assertBadRequest("$find-care", Map.of("service", "diagnosis", "municipality", "沼田市", "area", "前橋"),
                "area: 「前橋」は municipality「沼田市」の二次医療圏（沼田）と違います", "give one of them");
        assertThat(get("$find-care?service=diagnosis&municipality=沼田市&area=沼田", 200, Bundle.class).getEntry())
                .as("the municipality's own area agrees").isNotEmpty();
    }

    // ---- helpers

    private ImportReport importList(String fileName, List<String> rows) {
        String content = HEADER + "\n" + String.join("\n", rows) + "\n";
        return routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, content.getBytes(StandardCharsets.UTF_8),
                Map.of(DesignationImportRoutes.FILE_NAME, fileName, DesignationImportRoutes.SOURCE, "test"), ImportReport.class);
    }

    private static String row(String code, String name, String role, String field, String start, String end, String referenceDate) {
        return String.join(",", "11", code, name, role, field, start, end, "", "", "", "", "", referenceDate);
    }

    private Bundle search(String query) {
        return get(query, 200, Bundle.class);
    }

    /** HAPI's own search: the client asks past any cache. */
    private Bundle searchUncached(String query) {
        return fhirContext.newJsonParser().parseResource(Bundle.class,
                exchange(request(encode(query)).header("Cache-Control", "no-cache").GET(), 200));
    }

    private double searches(String answeredBy) {
        return metrics.counter("nanbyo.directory.designation.searches", "answered.by", answeredBy).count();
    }

    /** The same matches and includes, each resource as stored; the total where HAPI gives one. */
    private void assertSameAnswer(String query, Bundle fromMemory, Bundle fromHapi) {
        assertThat(encoded(fromMemory, SearchEntryMode.MATCH)).as(query).isEqualTo(encoded(fromHapi, SearchEntryMode.MATCH));
        assertThat(encoded(fromMemory, SearchEntryMode.INCLUDE)).as(query).isEqualTo(encoded(fromHapi, SearchEntryMode.INCLUDE));
        assertThat(fromMemory.getTotal()).as(query).isEqualTo(encoded(fromHapi, SearchEntryMode.MATCH).size());
        if (fromHapi.hasTotal()) {
            assertThat(fromMemory.getTotal()).as(query).isEqualTo(fromHapi.getTotal());
        }
        assertThat(fromMemory.getLink("next")).as(query).isNull();
    }

    private Map<String, String> encoded(Bundle bundle, SearchEntryMode mode) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == mode).collect(Collectors.toMap(
                BundleEntryComponent::getFullUrl, e -> fhirContext.newJsonParser().encodeResourceToString(e.getResource())));
    }

    private static List<String> included(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == SearchEntryMode.INCLUDE)
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    private static String tokyoHub(String code, String name, String referenceDate) {
        return String.join(",", "13", code, name, "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", "", "", "", "", "", referenceDate);
    }

    private Bundle operation(String operation, Map<String, String> parameters) {
        String query = parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return get(operation + "?" + query, 200, Bundle.class);
    }

    private void assertBadRequest(String operation, Map<String, String> parameters, String... mentions) {
        String query = parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        OperationOutcome outcome = get(operation + "?" + query, 400, OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(mentions);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).doesNotContain("null");
    }

    private String post(String json) {
        String type = json.substring(json.indexOf("\"resourceType\":\"") + 16).split("\"")[0];
        String body = exchange(request(type).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), 201);
        return fhirContext.newJsonParser().parseResource(body).getIdElement().toUnqualifiedVersionless().getValue();
    }

    private void postOperation(String path, String parametersJson) {
        exchange(request(path).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parametersJson)), 200);
    }

    private static Organization includedHospital(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == SearchEntryMode.INCLUDE)
                .map(BundleEntryComponent::getResource).map(Organization.class::cast).findFirst().orElseThrow();
    }

    private static List<String> tagCodes(Resource resource) {
        return resource.getMeta().getTag().stream().map(Coding::getCode).toList();
    }

    private Bundle postSearch(String path, String form) {
        String body = exchange(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))), 200);
        return fhirContext.newJsonParser().parseResource(Bundle.class, body);
    }

    private static Map<String, Long> typesOf(Bundle bundle) {
        return bundle.getEntry().stream().collect(Collectors.groupingBy(e -> e.getResource().fhirType(), Collectors.counting()));
    }

    private <T extends IBaseResource> T get(String query, int expectedStatus, Class<T> type) {
        return fhirContext.newJsonParser().parseResource(type, exchange(request(encode(query)).GET(), expectedStatus));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + path)).header("Accept", "application/fhir+json");
    }

    /** Sends the request, checks the status and answers the body. */
    private String exchange(HttpRequest.Builder request, int expectedStatus) {
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(built.uri() + " → " + response.body()).isEqualTo(expectedStatus);
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes what a URI may not carry raw (Japanese, '|', spaces), leaving the query's own syntax. */
    private static String encode(String query) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : query.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/?&=,$%".indexOf(c) >= 0;
            encoded.append(plain ? String.valueOf(c) : "%%%02X".formatted(b & 0xff));
        }
        return encoded.toString();
    }

    private static <T extends Resource> List<T> matches(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == SearchEntryMode.MATCH)
                .map(BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).toList();
    }

    private static List<String> ids(List<? extends Resource> resources) {
        return resources.stream().map(r -> r.getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }

    /** Organization names of a Bundle, matched or included (the hospitals of designations, services or sites). */
    private static List<String> names(Bundle bundle) {
        return bundle.getEntry().stream().map(BundleEntryComponent::getResource)
                .filter(Organization.class::isInstance).map(r -> ((Organization) r).getName()).toList();
    }

    private static OperationOutcome outcome(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == SearchEntryMode.OUTCOME)
                .map(e -> (OperationOutcome) e.getResource()).findFirst().orElseThrow();
    }

    private static List<BundleEntryComponent> candidates(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == SearchEntryMode.MATCH).toList();
    }

    private static String name(BundleEntryComponent candidate) {
        return ((Organization) candidate.getResource()).getName();
    }

    private static List<String> reasons(BundleEntryComponent candidate) {
        return candidate.getSearch().getExtensionsByUrl(NanbyoPackage.EXTENSION_MATCH_REASON).stream()
                .map(e -> ((CodeableConcept) e.getValue()).getCodingFirstRep().getCode()).toList();
    }
}
