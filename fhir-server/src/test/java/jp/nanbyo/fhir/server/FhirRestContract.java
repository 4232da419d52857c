package jp.nanbyo.fhir.server;

import static jp.nanbyo.fhir.server.Network.hospital;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.server.platform.SchemaMigration;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResourceType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The FHIR REST behaviour our users rely on, end to end over HTTP. Each subclass runs it against
 * one database; every test uses its own 医療機関コード so that tests do not see each other's data.
 */
abstract class FhirRestContract {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String HOSPITAL_CODE = JpCoreSystems.MEDICAL_INSTITUTION_CODE;
    static final String FHIR_JSON = "application/fhir+json";
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    SchemaMigration schemaMigration;

    @Autowired
    DaoRegistry daoRegistry;

    @Autowired
    MeterRegistry metrics;

    IGenericClient client;
    final HttpClient http = HttpClient.newHttpClient();

    /** The database product this suite must have run on, as JDBC names it. */
    abstract String expectedDatabaseProduct();

    @BeforeEach
    void connect() {
        client = TestFhirClient.of(port);
    }

    // --- the database underneath --------------------------------------------------------------

    @Test
    void runsOnTheExpectedDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(expectedDatabaseProduct());
        }
    }

    @Test
    void schemaComesFromHapisMigratorAndIsCurrent() throws SQLException {
        String lastKnownVersion = SchemaMigration.allTasks().getLastVersion();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet migrations = statement.executeQuery("select count(*), sum(case when \"success\" then 0 else 1 end)"
                        + " from \"" + SchemaMigration.MIGRATION_TABLE + "\"")) {
            migrations.next();
            assertThat(migrations.getInt(1)).as("tasks recorded by the migrator").isPositive();
            assertThat(migrations.getInt(2)).as("failed tasks").isZero();
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet installed = statement.executeQuery("select \"version\" from \""
                        + SchemaMigration.MIGRATION_TABLE + "\" where \"installed_rank\" = (select max(\"installed_rank\")"
                        + " from \"" + SchemaMigration.MIGRATION_TABLE + "\")")) {
            installed.next();
            assertThat(installed.getString(1)).isEqualTo(lastKnownVersion);
        }

        MigrationResult again = schemaMigration.migrate();
        assertThat(again.executedStatements).as("statements run on a current schema").isEmpty();
    }

    // --- metadata and formats -----------------------------------------------------------------

    @Test
    void metadataIsAnInstanceCapabilityStatementNamingOurSoftwareInJsonByDefault() throws Exception {
        HttpResponse<String> response = get("/metadata", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith(FHIR_JSON));
        CapabilityStatement capabilities = FHIR.newJsonParser().parseResource(CapabilityStatement.class, response.body());
        assertThat(capabilities.getKind()).isEqualTo(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        assertThat(capabilities.getSoftware().getName()).isEqualTo("Nanbyo FHIR Server");
        assertThat(capabilities.getSoftware().getVersion()).isNotBlank();
        assertThat(capabilities.getImplementation().getDescription()).contains("難病");
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capabilities.getRestFirstRep().getResource())
                .extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
                .contains("Organization", "Location", "HealthcareService", "ServiceRequest",
                        "OrganizationAffiliation", "Task", "Endpoint");
    }

    @Test
    void answersXmlWhenTheClientAsksForIt() throws Exception {
        HttpResponse<String> response = get("/metadata", "application/fhir+xml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/fhir+xml"));
        assertThat(FHIR.newXmlParser().parseResource(CapabilityStatement.class, response.body()).getKind())
                .isEqualTo(CapabilityStatement.CapabilityStatementKind.INSTANCE);
    }

    // --- create, read, update, patch, delete --------------------------------------------------

    @Test
    void createsReadsVersionReadsAndUpdatesAnOrganization() {
        Organization hospital = hospital(newHospitalCode(), "群馬大学医学部附属病院", "グンマダイガクイガクブフゾクビョウイン");
        MethodOutcome created = client.create().resource(hospital).execute();
        assertThat(created.getCreated()).isTrue();
        String id = created.getId().getIdPart();

        Organization read = client.read().resource(Organization.class).withId(id).execute();
        assertThat(read.getName()).isEqualTo("群馬大学医学部附属病院");
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");

        read.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("027-220-7111");
        MethodOutcome updated = client.update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Organization first = client.read().resource(Organization.class).withIdAndVersion(id, "1").execute();
        assertThat(first.getTelecom()).isEmpty();
        Organization current = client.read().resource(Organization.class).withId(id).execute();
        assertThat(current.getTelecomFirstRep().getValue()).isEqualTo("027-220-7111");
    }

    @Test
    void patchesWithJsonPatch() {
        String id = create(hospital(newHospitalCode(), "前橋赤十字病院", "マエバシセキジュウジビョウイン"));

        client.patch()
                .withBody("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"前橋赤十字病院（本院）\"}]")
                .withId("Organization/" + id)
                .execute();

        Organization patched = client.read().resource(Organization.class).withId(id).execute();
        assertThat(patched.getName()).isEqualTo("前橋赤十字病院（本院）");
        assertThat(patched.getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void deletesAndThenAnswersGoneButKeepsHistory() {
        String id = create(hospital(newHospitalCode(), "削除テスト病院", "サクジョテストビョウイン"));

        client.delete().resourceById("Organization", id).execute();

        assertThatThrownBy(() -> client.read().resource(Organization.class).withId(id).execute())
                .isInstanceOf(ResourceGoneException.class);
        Bundle history = client.history().onInstance("Organization/" + id).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).hasSize(2);
    }

    @Test
    void unknownResourceIs404WithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = get("/Organization/no-such-hospital", null);

        assertThat(response.statusCode()).isEqualTo(404);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThatThrownBy(() -> client.read().resource(Organization.class).withId("no-such-hospital").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // --- conditional interactions and bundles -------------------------------------------------

    @Test
    void conditionalCreateInATransactionCreatesOnceThenMatches() {
        String code = newHospitalCode();

        Bundle first = client.transaction().withBundle(hospitalWithSiteTransaction(code)).execute();
        assertThat(first.getType()).isEqualTo(BundleType.TRANSACTIONRESPONSE);
        assertThat(first.getEntry()).extracting(entry -> entry.getResponse().getStatus())
                .allSatisfy(status -> assertThat(status).startsWith("201"));

        Bundle second = client.transaction().withBundle(hospitalWithSiteTransaction(code)).execute();
        assertThat(second.getEntry()).extracting(entry -> entry.getResponse().getStatus())
                .allSatisfy(status -> assertThat(status).startsWith("200"));

        assertThat(searchHospitals(code).getTotal()).isEqualTo(1);
        Bundle sites = client.search().forResource(Location.class)
                .where(Location.ORGANIZATION.hasChainedProperty(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code)))
                .returnBundle(Bundle.class).execute();
        assertThat(sites.getEntry()).hasSize(1);
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesAndConditionalDeleteRemoves() {
        String code = newHospitalCode();
        String condition = "Organization?identifier=" + HOSPITAL_CODE + "|" + code;

        MethodOutcome created = client.update().resource(hospital(code, "条件付き病院", "ジョウケンツキビョウイン"))
                .conditionalByUrl(condition).execute();
        assertThat(created.getCreated()).isTrue();
        MethodOutcome updated = client.update().resource(hospital(code, "条件付き病院（改）", "ジョウケンツキビョウイン"))
                .conditionalByUrl(condition).execute();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        client.delete().resourceConditionalByUrl(condition).execute();

        assertThat(searchHospitals(code).getTotal()).isZero();
    }

    @Test
    void batchAppliesEachEntryOnItsOwn() {
        String code = newHospitalCode();
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().setResource(hospital(code, "バッチ病院", "バッチビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Organization/no-such-hospital");

        Bundle response = client.transaction().withBundle(batch).execute();

        assertThat(response.getType()).isEqualTo(BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
        assertThat(searchHospitals(code).getTotal()).isEqualTo(1);
    }

    @Test
    void aFailedTransactionStoresNothing() {
        String code = newHospitalCode();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(hospital(code, "失敗する病院", "シッパイスルビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");
        Location orphan = Network.facility("存在しない組織の施設", new Reference("Organization/no-such-hospital"));
        transaction.addEntry().setResource(orphan).getRequest().setMethod(HTTPVerb.POST).setUrl("Location");

        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOfSatisfying(InvalidRequestException.class, failure -> assertThat(failure.getOperationOutcome())
                        .isInstanceOf(OperationOutcome.class));

        assertThat(searchHospitals(code).getTotal()).isZero();
    }

    @Test
    void malformedJsonIs400WithAnOperationOutcomeAndStoresNothing() throws Exception {
        int before = countOrganizations();

        HttpResponse<String> response = post("/Organization", "{\"resourceType\":\"Organization\",\"name\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(FHIR.newJsonParser().parseResource(response.body())).isInstanceOf(OperationOutcome.class);
        assertThat(countOrganizations()).isEqualTo(before);
    }

    @Test
    void invalidBundleIs400WithAnOperationOutcomeAndStoresNothing() throws Exception {
        String code = newHospitalCode();
        // The second entry has no request: a transaction cannot say what to do with it.
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":%s,"request":{"method":"POST","url":"Organization"}},
                  {"resource":{"resourceType":"Location","name":"要求のない施設"}}]}"""
                .formatted(FHIR.newJsonParser().encodeResourceToString(hospital(code, "不正バンドル病院", "フセイバンドルビョウイン")));

        HttpResponse<String> response = post("", bundle);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(FHIR.newJsonParser().parseResource(response.body())).isInstanceOf(OperationOutcome.class);
        assertThat(searchHospitals(code).getTotal()).isZero();
    }

    // --- search -------------------------------------------------------------------------------

    @Test
    void searchesByIdentifier() {
        String code = newHospitalCode();
        String id = create(hospital(code, "識別子検索病院", "シキベツシケンサクビョウイン"));

        Bundle found = searchHospitals(code);

        assertThat(found.getTotal()).isEqualTo(1);
        assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(id);
        assertThat(searchHospitals(newHospitalCode()).getTotal()).isZero();
    }

    @Test
    void searchesJapaneseNamesInKanjiAndKanaByPrefixContainsAndExact() {
        String code = newHospitalCode();
        String unique = uniqueKanji();
        String name = unique + "大学医学部附属病院";
        create(hospital(code, name, "グンマダイガクイガクブフゾクビョウイン"));
        TokenClientParam identifier = Organization.IDENTIFIER;
        StringClientParam nameParam = Organization.NAME;

        assertThat(countWhere(nameParam.matches().value(unique + "大学"), identifier, code)).as("kanji prefix").isEqualTo(1);
        assertThat(countWhere(nameParam.matches().value("グンマダイ"), identifier, code)).as("kana prefix (alias)").isEqualTo(1);
        assertThat(countWhere(nameParam.contains().value("医学部"), identifier, code)).as("kanji :contains").isEqualTo(1);
        assertThat(countWhere(nameParam.contains().value("フゾクビョウ"), identifier, code)).as("kana :contains").isEqualTo(1);
        assertThat(countWhere(nameParam.matchesExactly().value(name), identifier, code)).as(":exact").isEqualTo(1);
        assertThat(countWhere(nameParam.matchesExactly().value(unique + "大学"), identifier, code)).as(":exact, partial").isZero();
        assertThat(countWhere(nameParam.matches().value("医学部"), identifier, code)).as("not a prefix").isZero();
        assertThat(countWhere(nameParam.contains().value("歯学部"), identifier, code)).as(":contains, absent").isZero();
    }

    @Test
    void includesAndRevincludesAndSearchesByChain() {
        String code = newHospitalCode();
        client.transaction().withBundle(hospitalWithSiteTransaction(code)).execute();

        Bundle sitesWithOrganization = client.search().forResource(Location.class)
                .where(Location.ORGANIZATION.hasChainedProperty(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code)))
                .include(Location.INCLUDE_ORGANIZATION)
                .returnBundle(Bundle.class).execute();
        assertThat(resourceTypes(sitesWithOrganization)).containsExactlyInAnyOrder(ResourceType.Location, ResourceType.Organization);

        Bundle organizationWithSites = client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code))
                .revInclude(Location.INCLUDE_ORGANIZATION)
                .returnBundle(Bundle.class).execute();
        assertThat(resourceTypes(organizationWithSites)).containsExactlyInAnyOrder(ResourceType.Organization, ResourceType.Location);
    }

    @Test
    void pagesSummarisesAndSelectsElements() {
        String unique = uniqueKanji();
        for (int i = 1; i <= 3; i++) {
            create(hospital(newHospitalCode(), unique + "第" + i + "病院", "ページビョウイン"));
        }

        Bundle firstPage = client.search().forResource(Organization.class)
                .where(Organization.NAME.matches().value(unique)).count(2).returnBundle(Bundle.class).execute();
        assertThat(firstPage.getEntry()).hasSize(2);
        assertThat(firstPage.getLink(Bundle.LINK_NEXT).getUrl()).as("unstored searches page by offset").contains("_offset=2");
        assertThat(firstPage.hasTotal()).as("no total unless the answer fits the page or it is asked for").isFalse();
        Bundle secondPage = client.loadPage().next(firstPage).execute();
        assertThat(secondPage.getEntry()).hasSize(1);
        assertThat(secondPage.getLink(Bundle.LINK_NEXT)).isNull();
        assertThat(names(firstPage, secondPage)).as("each hospital once").hasSize(3).doesNotHaveDuplicates();

        Bundle withTotal = client.search().forResource(Organization.class)
                .where(Organization.NAME.matches().value(unique)).count(2).totalMode(SearchTotalModeEnum.ACCURATE)
                .returnBundle(Bundle.class).execute();
        assertThat(withTotal.getTotal()).isEqualTo(3);

        Bundle count = client.search().forResource(Organization.class)
                .where(Organization.NAME.matches().value(unique)).summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute();
        assertThat(count.getTotal()).isEqualTo(3);
        assertThat(count.getEntry()).isEmpty();

        Bundle namesOnly = client.search().forResource(Organization.class)
                .where(Organization.NAME.matches().value(unique)).elementsSubset("name")
                .returnBundle(Bundle.class).execute();
        assertThat(namesOnly.getEntry()).allSatisfy(entry -> {
            Organization organization = (Organization) entry.getResource();
            assertThat(organization.getName()).startsWith(unique);
            assertThat(organization.getIdentifier()).isEmpty();
        });
    }

    @Test
    void searchesByLastUpdatedAndByPost() {
        String code = newHospitalCode();
        Date before = new Date(System.currentTimeMillis() - 1000);
        create(hospital(code, "更新日検索病院", "コウシンビケンサクビョウイン"));

        Bundle since = client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code))
                .lastUpdated(new DateRangeParam(before, null))
                .usingStyle(SearchStyleEnum.POST)
                .returnBundle(Bundle.class).execute();
        assertThat(since.getEntry()).hasSize(1);

        Bundle earlier = client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code))
                .lastUpdated(new DateRangeParam(null, before))
                .returnBundle(Bundle.class).execute();
        assertThat(earlier.getEntry()).isEmpty();
    }

    // --- history ------------------------------------------------------------------------------

    @Test
    void keepsHistoryOfInstanceTypeAndSystemSinceAGivenTime() {
        Date start = new Date(System.currentTimeMillis() - 1000);
        String id = create(hospital(newHospitalCode(), "履歴病院", "リレキビョウイン"));
        Organization current = client.read().resource(Organization.class).withId(id).execute();
        current.setName("履歴病院（新）");
        client.update().resource(current).execute();

        Bundle instance = client.history().onInstance("Organization/" + id).returnBundle(Bundle.class).execute();
        assertThat(instance.getEntry()).extracting(entry -> ((Organization) entry.getResource()).getName())
                .containsExactly("履歴病院（新）", "履歴病院");

        Bundle type = client.history().onType(Organization.class).returnBundle(Bundle.class).since(start).execute();
        assertThat(idsOf(type)).contains(id);
        Bundle system = client.history().onServer().returnBundle(Bundle.class).since(start).execute();
        assertThat(idsOf(system)).contains(id);
        Bundle future = client.history().onInstance("Organization/" + id).returnBundle(Bundle.class)
                .since(new Date(System.currentTimeMillis() + 60_000)).execute();
        assertThat(future.getEntry()).isEmpty();
    }

    // --- conformance: profiles on every write, terminology operations ------------------------

    @Test
    void refusesAHospitalWithAMalformedCodeWith422NamingTheRuleAndStoresNothing() throws Exception {
        String badCode = "4810000001"; // prefecture 48 does not exist
        Organization hospital = hospital(badCode, "架空県立病院", "カクウケンリツビョウイン");

        HttpResponse<String> response = post("/Organization", FHIR.newJsonParser().encodeResourceToString(hospital));

        assertThat(response.statusCode()).isEqualTo(422);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains("nanbyo-hosp-2");
            assertThat(issue.getExpression()).anySatisfy(path -> assertThat(path.getValue()).contains("identifier"));
        });
        assertThat(searchHospitals(badCode).getTotal()).isZero();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void refusalsAreLoggedOnceAtInfoAndNeverAsAWarningOrAnError(CapturedOutput log) throws Exception {
        String badCode = "4810000002";
        HttpResponse<String> refused = post("/Organization",
                FHIR.newJsonParser().encodeResourceToString(hospital(badCode, "架空県立第二病院", "カクウケンリツダイニビョウイン")));
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/fhir/Organization/no-such-" + badCode)).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unreadable = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/fhir/Organization?_lastUpdated=ge2026-13-45")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(unreadable.statusCode()).isEqualTo(400);
        List<String> lines = log.getAll().lines().toList();
        assertThat(lines).filteredOn(line -> line.contains("UnprocessableEntityException") || line.contains("no-such-" + badCode)
                        || line.contains("Invalid date/time format"))
                .as("one line each, at INFO").hasSize(3)
                .allSatisfy(line -> assertThat(line).contains(" INFO ", "jp.nanbyo.fhir.server.ClientErrors", "Refused: "));
        assertThat(lines).as("no warning or error about the refusals, nor HAPI's stack trace of them")
                .noneMatch(line -> line.contains("Exception thrown by interceptor") || line.contains("Failure during REST processing"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void negativePagingAndOperationNumbersThatAreNoNumbersAreRefusedAs400(CapturedOutput log) throws Exception {
        // HAPI passed these on to the SQL query or its binding and answered 500.
        for (String path : List.of("/Organization?_count=-1", "/Organization?_offset=-5", "/OrganizationAffiliation?role=hub-hospital&_count=-1")) {
            HttpResponse<String> refused = get(path, FHIR_JSON);
            assertThat(refused.statusCode()).as(path + " " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("0 以上の整数", "a whole number of 0 or more");
        }
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Organization?_count=-1");
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Organization?_offset=-5");
        Bundle answered = client.transaction().withBundle(batch).execute();
        assertThat(answered.getEntry()).extracting(entry -> entry.getResponse().getStatus())
                .allSatisfy(status -> assertThat(status).startsWith("400"));

        HttpResponse<String> findCare = get("/$find-care?service=diagnosis&prefecture=10&count=abc", FHIR_JSON);
        HttpResponse<String> expand = get("/ValueSet/$expand?url=" + NanbyoCanonical.url("ValueSet", "nanbyo-shitei-nanbyo")
                + "&count=abc", FHIR_JSON);
        for (HttpResponse<String> refused : List.of(findCare, expand)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("count: 「abc」を整数として読めません", "cannot read \\\"abc\\\" as a whole number");
        }
        assertThat(log.getAll()).as("refusals, not server errors")
                .doesNotContain("NumberFormatException", "No parameter labelled", "Offset must be", "Failure during REST processing");
    }

    @Test
    void aModifierTheParameterDoesNotTakeIsRefusedNotIgnored() throws Exception {
        // HAPI answered active:bogus=true as active=true, and name:foo=x as nothing, each as a real answer.
        Map<String, String> refused = Map.of(
                "/Organization?active:bogus=true", "active:bogus: 検索パラメーター active (token) に修飾子 :bogus は使えません",
                "/Organization?name:foo=x", "the string parameter name takes no :foo modifier; it takes :contains, :exact, :missing",
                "/Organization?_lastUpdated:contains=2026", "_lastUpdated:contains",
                "/Organization?_summary=foo", "_summary=foo: 使えるのは true, text, data, count, false です",
                "/Organization?_total=foo", "_total takes none, estimate, accurate");
        for (Map.Entry<String, String> search : refused.entrySet()) {
            HttpResponse<String> answer = get(search.getKey(), FHIR_JSON);
            assertThat(answer.statusCode()).as(search.getKey() + " " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(search.getKey()).contains(search.getValue());
        }
        // The modifiers FHIR defines for the type, and a reference's resource type, are still searches.
        for (String search : List.of("/Organization?name:contains=病院&_summary=count", "/Organization?name:exact=x&_total=accurate",
                "/Organization?active:missing=false&_count=1", "/Organization?type:not=dept&_count=1",
                "/Location?organization:Organization.active=true&_count=1")) {
            assertThat(get(search, FHIR_JSON).statusCode()).as(search).isEqualTo(200);
        }
    }

    @Test
    void aPageAskedPastTheEndGivesNoMadeUpTotal() throws Exception {
        for (int i = 0; i < 2; i++) {
            client.create().resource(hospital(newHospitalCode(), "頁送り病院", "ページオクリビョウイン")).execute();
        }
        int matches = client.search().forResource(Organization.class).summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute().getTotal();

        Bundle pastTheEnd = FHIR.newJsonParser().parseResource(Bundle.class,
                get("/Organization?_count=5&_offset=" + (matches + 1000), FHIR_JSON).body());
        assertThat(pastTheEnd.getEntry()).isEmpty();
        assertThat(pastTheEnd.hasTotal()).as("HAPI said the offset: " + pastTheEnd.getTotal()).isFalse();

        Bundle counted = FHIR.newJsonParser().parseResource(Bundle.class,
                get("/Organization?_count=5&_total=accurate&_offset=" + (matches + 1000), FHIR_JSON).body());
        assertThat(counted.getTotal()).isEqualTo(matches);
        Bundle lastPage = FHIR.newJsonParser().parseResource(Bundle.class,
                get("/Organization?_count=5&_offset=" + (matches - 1), FHIR_JSON).body());
        assertThat(lastPage.getEntry()).hasSize(1);
        assertThat(lastPage.getTotal()).as("a page with matches keeps its total").isEqualTo(matches);
    }

    @Test
    void refusesAResourceThatDeclaresNoneOfOurProfiles() throws Exception {
        String code = newHospitalCode();
        Organization undeclared = hospital(code, "宣言なし病院", "センゲンナシビョウイン");
        undeclared.getMeta().getProfile().clear();

        HttpResponse<String> response = post("/Organization", FHIR.newJsonParser().encodeResourceToString(undeclared));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("meta.profile", NanbyoPackage.PROFILE_HOSPITAL);
        assertThat(searchHospitals(code).getTotal()).isZero();
    }

    @Test
    void validatesEveryEntryOfATransactionAndStoresNothingWhenOneFails() {
        String goodCode = newHospitalCode();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setResource(hospital(goodCode, "良い病院", "ヨイビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");
        transaction.addEntry().setResource(hospital("1020000001", "点数表2の病院", "テンスウヒョウビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");

        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOf(UnprocessableEntityException.class);

        assertThat(searchHospitals(goodCode).getTotal()).isZero();
    }

    @Test
    void validatesWritesThatBypassHttp() {
        Organization bad = hospital("101234567", "九桁病院", "キュウケタビョウイン");

        assertThatThrownBy(() -> daoRegistry.getResourceDao(Organization.class).create(bad, new SystemRequestDetails()))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void acceptsAValidDesignationOfGunmasHub() {
        Reference government = reference(client.create()
                .resource(Network.prefectureGovernment(Network.GUNMA, "群馬県")).execute());
        Reference network = reference(client.create()
                .resource(Network.prefectureNetwork(Network.GUNMA, "群馬県難病医療提供体制", government)).execute());
        Reference hub = reference(client.create()
                .resource(hospital(newHospitalCode(), "群馬大学医学部附属病院", "グンマダイガクイガクブフゾクビョウイン")).execute());

        MethodOutcome designated = client.create()
                .resource(Network.designation(network, hub, "hub-hospital", "2025-04-01", "2027-03-31")).execute();

        assertThat(designated.getCreated()).isTrue();
        OrganizationAffiliation stored = client.read().resource(OrganizationAffiliation.class)
                .withId(designated.getId().getIdPart()).execute();
        assertThat(stored.getPeriod().getStartElement().getValueAsString()).isEqualTo("2025-04-01");
    }

    @Test
    void refusesAFieldHubDesignationWithoutItsField() throws Exception {
        Reference government = reference(client.create()
                .resource(Network.prefectureGovernment(Network.GUNMA, "群馬県")).execute());
        Reference network = reference(client.create()
                .resource(Network.prefectureNetwork(Network.GUNMA, "群馬県難病医療提供体制", government)).execute());
        Reference hospital = reference(client.create()
                .resource(hospital(newHospitalCode(), "分野別病院", "ブンヤベツビョウイン")).execute());
        OrganizationAffiliation fieldHub = Network.designation(network, hospital, "field-hub-hospital", "2025-04-01", null);

        HttpResponse<String> response = post("/OrganizationAffiliation", FHIR.newJsonParser().encodeResourceToString(fieldHub));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("nanbyo-des-1");
    }

    @Test
    void normalisesOidIdentifierSystemsToTheUrlForms() {
        Organization hospital = hospital(newHospitalCode(), "OID病院", "オーアイディービョウイン");
        hospital.addIdentifier().setSystem("urn:oid:1.2.392.100495.20.3.23").setValue("7010016");

        String id = client.create().resource(hospital).execute().getId().getIdPart();

        Organization stored = client.read().resource(Organization.class).withId(id).execute();
        assertThat(stored.getIdentifier()).extracting(Identifier::getSystem)
                .contains(JpCoreSystems.INSURANCE_MEDICAL_INSTITUTION_NO)
                .doesNotContain("urn:oid:1.2.392.100495.20.3.23");
    }

    @Test
    void expandsTheDesignatedIntractableDiseasesWithAJapaneseFilter() {
        ValueSet expansion = client.operation().onType(ValueSet.class).named("$expand")
                .withParameter(Parameters.class, "url", new UriType(NanbyoCanonical.url("ValueSet", "nanbyo-shitei-nanbyo")))
                .andParameter("filter", new StringType("筋"))
                .returnResourceType(ValueSet.class).execute();

        assertThat(expansion.getExpansion().getContains())
                .extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .contains("1", "2");
        assertThat(expansion.getExpansion().getContains())
                .allSatisfy(concept -> assertThat(concept.getDisplay()).contains("筋"));
    }

    @Test
    void aFilteredExpansionLeavesTheExpansionOthersGetAsItWas() {
        String referralCategories = NanbyoCanonical.url("ValueSet", "nanbyo-referral-category");
        ValueSet before = expand(referralCategories, null);
        assertThat(before.getExpansion().getContains()).hasSizeGreaterThan(2);

        ValueSet filtered = expand(referralCategories, "IRUD");
        assertThat(filtered.getExpansion().getContains()).extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .containsExactly("irud-referral");

        // HAPI answers a cached expansion: the filter must not have been written into it.
        ValueSet after = expand(referralCategories, null);
        assertThat(after.getExpansion().getTotal()).isEqualTo(before.getExpansion().getTotal());
        assertThat(after.getExpansion().getContains()).extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .containsExactlyElementsOf(before.getExpansion().getContains().stream()
                        .map(ValueSet.ValueSetExpansionContainsComponent::getCode).toList());
        assertThat(expand(referralCategories, "紹介").getExpansion().getTotal())
                .as("another filter still sees every concept").isGreaterThan(1);
    }

    private ValueSet expand(String valueSetUrl, String filter) {
        var expand = client.operation().onType(ValueSet.class).named("$expand")
                .withParameter(Parameters.class, "url", new UriType(valueSetUrl));
        if (filter != null) {
            expand = expand.andParameter("filter", new StringType(filter));
        }
        return expand.returnResourceType(ValueSet.class).useHttpGet().execute();
    }

    @Test
    void translatesDesignatedIntractableDiseasesToOrphanet() {
        Parameters translation = client.operation().onType(ConceptMap.class).named("$translate")
                .withParameter(Parameters.class, "url", new UriType(NanbyoCanonical.url("ConceptMap", "nanbyo-shitei-nanbyo-to-orpha")))
                .andParameter("system", new UriType(Network.SHITEI_NANBYO))
                .andParameter("code", new CodeType("2"))
                .andParameter("targetsystem", new UriType("http://www.orpha.net"))
                .execute();

        assertThat(translation.getParameterBool("result")).isTrue();
        assertThat(translation.getParameter()).filteredOn(parameter -> parameter.getName().equals("match"))
                .anySatisfy(match -> assertThat(match.getPart()).anySatisfy(part -> {
                    assertThat(part.getName()).isEqualTo("concept");
                    assertThat(((Coding) part.getValue()).getCode()).isEqualTo("803");
                }));
    }

    @Test
    void looksUpAndValidatesDesignatedIntractableDiseaseCodes() {
        Parameters lookup = client.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "system", new UriType(Network.SHITEI_NANBYO))
                .andParameter("code", new CodeType("2"))
                .execute();
        assertThat(lookup.getParameter("display").getValue().primitiveValue()).isEqualTo("筋萎縮性側索硬化症");

        assertThat(validateCode("2")).isTrue();
        assertThat(validateCode("349")).isFalse();
    }

    @Test
    void aValidateCodeMessageIsInJapaneseWithHapisEnglishKept() throws Exception {
        String codeSystem = "/CodeSystem/$validate-code?url=" + Network.SHITEI_NANBYO;
        assertThat(validateCodeMessage(codeSystem + "&code=349"))
                .startsWith("コード「349」はコードシステム " + Network.SHITEI_NANBYO + " にありません (")
                .contains("Code is not found in CodeSystem");
        assertThat(validateCodeMessage(codeSystem + "&code=2&display=" + URLEncoder.encode("筋ジストロフィー", StandardCharsets.UTF_8)))
                .startsWith("表示名「筋ジストロフィー」はこのコードの表示名「筋萎縮性側索硬化症」と異なります。")
                .contains("does not match expected");
        String valueSet = "/ValueSet/$validate-code?url=" + Network.SHITEI_NANBYO.replace("CodeSystem", "ValueSet");
        assertThat(validateCodeMessage(valueSet + "&system=" + Network.SHITEI_NANBYO + "&code=349"))
                .startsWith("コード「349」(" + Network.SHITEI_NANBYO + ") は値セット " + Network.SHITEI_NANBYO.replace("CodeSystem", "ValueSet")
                        + " にありません (");
        assertThat(validateCodeMessage(valueSet + "&system=http://example.org/other&code=2"))
                .startsWith("値セット " + Network.SHITEI_NANBYO.replace("CodeSystem", "ValueSet")
                        + " にはコードシステム http://example.org/other のコードがありません。");
    }

    String validateCodeMessage(String path) throws Exception {
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, get(path, FHIR_JSON).body());
        return answer.getParameter("message").getValue().primitiveValue();
    }

    @Test
    void aLookupAnswersPropertiesInTheirTypesEveryPartWithAValueAndTheDisplayInTheLanguageAsked() throws Exception {
        String path = "/CodeSystem/$lookup?system=" + Network.SHITEI_NANBYO + "&code=2";
        Parameters japanese = FHIR.newJsonParser().parseResource(Parameters.class, get(path, FHIR_JSON).body());
        assertThat(japanese.getParameter("display").getValue().primitiveValue()).isEqualTo("筋萎縮性側索硬化症");
        assertThat(japanese.getParameter()).filteredOn(parameter -> parameter.getName().equals("property"))
                .anySatisfy(property -> {
                    assertThat(property.getPart()).anySatisfy(part -> assertThat(part.getValue().primitiveValue()).isEqualTo("disease-field"));
                    assertThat(property.getPart()).anySatisfy(part -> {
                        assertThat(part.getName()).isEqualTo("value");
                        assertThat(part.getValue()).as("the code system declares disease-field a code").isInstanceOf(CodeType.class);
                    });
                });
        assertThat(japanese.getParameter()).flatExtracting(Parameters.ParametersParameterComponent::getPart)
                .as("Parameters inv-1: each part has a value, a resource or parts")
                .allSatisfy(part -> assertThat(part.hasValue() || part.hasResource() || part.hasPart()).as(part.getName()).isTrue());

        Parameters english = FHIR.newJsonParser().parseResource(Parameters.class, get(path + "&displayLanguage=en", FHIR_JSON).body());
        assertThat(english.getParameter("display").getValue().primitiveValue()).isEqualTo("Amyotrophic lateral sclerosis");
    }

    @Test
    void aLookupThatCannotBeAnsweredSaysWhatToFix() {
        // POST with a Parameters body (the generic client's way) and GET with the URL (Postman's and curl's way).
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "system", new UriType(Network.SHITEI_NANBYO))
                .andParameter("code", new CodeType("9999")).execute())
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("コード「9999」はコードシステム " + Network.SHITEI_NANBYO + " にありません")
                .hasMessageNotContaining("null");
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "coding", new Coding(Network.SHITEI_NANBYO, "9999", null)).execute())
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("コード「9999」");
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "system", new UriType("http://example.org/no-such-system"))
                .andParameter("code", new CodeType("1")).useHttpGet().execute())
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("コード「1」はコードシステム http://example.org/no-such-system にありません");
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$lookup")
                .withParameter(Parameters.class, "code", new CodeType("2")).useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("system と code");
    }

    @Test
    void expandValidateCodeAndTranslateThatCannotBeAnsweredSayWhatToFix() {
        String noSuchValueSet = "http://nanbyo.jp/fhir/ValueSet/no-such-value-set";
        assertThatThrownBy(() -> client.operation().onType(ValueSet.class).named("$expand")
                .withParameter(Parameters.class, "url", new UriType(noSuchValueSet)).useHttpGet().execute())
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("ValueSet " + noSuchValueSet + " はこのサーバーにありません");
        assertThatThrownBy(() -> client.operation().onType(ValueSet.class).named("$expand").withNoParameters(Parameters.class)
                .useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("url (または valueSet) が必要です");
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(Network.SHITEI_NANBYO)).useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("code と system");
        assertThatThrownBy(() -> client.operation().onType(CodeSystem.class).named("$validate-code")
                .withParameter(Parameters.class, "code", new CodeType("2")).useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContainingAll("url (コードシステムの URL) が必要です", "give the code system's url", "CodeSystem/$validate-code?url=");
        assertThatThrownBy(() -> client.operation().onType(ValueSet.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(NanbyoCanonical.url("ValueSet", "nanbyo-shitei-nanbyo")))
                .useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContainingAll("code と system", "e.g.): ValueSet/$validate-code?url=");

        // $translate with a map that is not here says so, by GET and POST, instead of "No Matches found".
        String noSuchMap = "http://nanbyo.jp/fhir/ConceptMap/no-such-map";
        for (boolean get : new boolean[] {true, false}) {
            var translate = client.operation().onType(ConceptMap.class).named("$translate")
                    .withParameter(Parameters.class, "url", new UriType(noSuchMap))
                    .andParameter("system", new UriType(Network.SHITEI_NANBYO)).andParameter("code", new CodeType("2"));
            assertThatThrownBy(() -> (get ? translate.useHttpGet() : translate).execute())
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("ConceptMap " + noSuchMap + " はこのサーバーにありません");
        }
        Parameters translated = client.operation().onType(ConceptMap.class).named("$translate")
                .withParameter(Parameters.class, "url", new UriType(NanbyoCanonical.url("ConceptMap", "nanbyo-shitei-nanbyo-to-orpha")))
                .andParameter("system", new UriType(Network.SHITEI_NANBYO)).andParameter("code", new CodeType("2"))
                .useHttpGet().execute();
        assertThat(((BooleanType) translated.getParameterValue("result")).booleanValue()).as("a map that is here still answers").isTrue();
        assertThatThrownBy(() -> client.operation().onType(ConceptMap.class).named("$translate")
                .withParameter(Parameters.class, "url", new UriType(NanbyoCanonical.url("ConceptMap", "nanbyo-shitei-nanbyo-to-orpha")))
                .useHttpGet().execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("のどれか 1 つが必要です");
    }

    @Test
    void aUrlTheWebServerCannotReadIsAnsweredWithAnOperationOutcomeSayingToEncodeIt() throws Exception {
        // Raw UTF-8 in the request line, as bare curl sends it; Tomcat refuses it before any of our code runs.
        OperationOutcome rawJapanese = refusedByTheWebServer("GET /fhir/Organization?name:contains=大学 HTTP/1.1\r\n"
                + "Host: localhost\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n");
        assertThat(rawJapanese.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.INVALID);
        assertThat(rawJapanese.getIssueFirstRep().getDiagnostics()).contains("パーセントエンコード", "--data-urlencode", "request target");

        // Encoded, the same search is answered.
        HttpResponse<String> encoded = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Organization?name:contains="
                + URLEncoder.encode("大学", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(encoded.body()).contains("\"searchset\"");
    }

    // --- outside the FHIR base ----------------------------------------------------------------

    @Test
    void theRootListsTheEndpointsWithTheirMethods() throws Exception {
        HttpResponse<String> index = send("GET", "/", null);

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(index.body());
        assertThat(body.path("software").asText()).isEqualTo("Nanbyo FHIR Server");
        assertThat(body.path("fhirBase").asText()).isEqualTo("/fhir");
        List<String> endpoints = new ArrayList<>();
        body.path("endpoints").forEach(e -> endpoints.add(e.path("method").asText() + " " + e.path("path").asText().replaceAll("\\?.*", "")));
        assertThat(endpoints).contains("GET /fhir/metadata", "POST /import/designations", "GET /referral-exchange/outbox",
                "POST /referral-exchange/outbox/{id}/replay", "POST /directory-sync/{source}", "GET /actuator/health");
        // Each endpoint listed as answered by the server: a GET one answers it, a POST one is there (its GET is a 405, not a 404).
        assertThat(send("GET", "/fhir/metadata", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/referral-exchange/outbox", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/import/designations", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/directory-sync/somewhere", null).statusCode()).isEqualTo(405);
    }

    @Test
    void anEndpointUsedWithTheWrongMethodSaysWhichItTakes() throws Exception {
        HttpResponse<String> getUpload = send("GET", "/import/designations", null);

        assertThat(getUpload.statusCode()).isEqualTo(405);
        assertThat(getUpload.headers().firstValue("Allow")).hasValue("POST");
        JsonNode answer = JSON.readTree(getUpload.body());
        assertThat(answer.path("status").asText()).isEqualTo("method-not-allowed");
        assertThat(answer.path("messageJa").asText()).contains("GET を受け付けません", "POST", "GET /");
        assertThat(answer.path("messageEn").asText()).contains("does not take GET", "it takes POST");

        HttpResponse<String> postOutbox = send("POST", "/referral-exchange/outbox", null);
        assertThat(postOutbox.statusCode()).isEqualTo(405);
        assertThat(postOutbox.headers().firstValue("Allow")).hasValue("GET");
        assertThat(JSON.readTree(postOutbox.body()).path("messageEn").asText()).contains("does not take POST", "it takes GET");
    }

    @Test
    void aPathThatIsNoEndpointIs404SayingWhereTheApiIs() throws Exception {
        HttpResponse<String> missing = send("GET", "/import/designation", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode answer = JSON.readTree(missing.body());
        assertThat(answer.path("status").asText()).isEqualTo("not-found");
        assertThat(answer.path("messageJa").asText()).contains("/import/designation というエンドポイントはありません", "/fhir", "GET /");
        assertThat(answer.path("messageEn").asText()).contains("There is no endpoint /import/designation", "under /fhir");
    }

    @Test
    void anOperatorsEndpointAskedForAnotherFormatSaysItAnswersJson() throws Exception {
        HttpResponse<String> xml = send("GET", "/referral-exchange/outbox", "application/xml");

        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(JSON.readTree(xml.body()).path("messageEn").asText()).contains("answers application/json");
    }

    // ---- the size of a request body: nanbyo.fhir.maximum-request-size, 8 MB by default

    @Test
    void aBodyAnnouncedLargerThanTheLimitIsRefusedBeforeItIsSent() throws Exception {
        String head = "POST /fhir/Organization HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/fhir+json\r\nAccept: application/fhir+json\r\nContent-Length: " + (1L << 30)
                + "\r\n\r\n";
        // 1 GB announced, 1 kB sent: the answer comes without the rest (HAPI would hold the whole body in memory).
        String answer = rawExchange(head, out -> out.write(new byte[1024]));

        assertThat(answer).startsWith("HTTP/1.1 413").contains("OperationOutcome")
                .contains("リクエスト本文が大きすぎます（1024 MB、上限 8 MB）", "The request body is too large (1024 MB; the limit is 8 MB)");
        assertThat(client.capabilities().ofType(CapabilityStatement.class).execute().getFhirVersion()).isNotNull();
    }

    @Test
    void aClientSendingABodyOverTheLimitWholeReadsTheRefusal() {
        // Refused before it is read, the body still arrives: unless the server reads past it, the client's write
        // fails (broken pipe) and the answer is lost. An import took that for "outcome unknown" (CI, 2026-11-24).
        Organization huge = hospital(newHospitalCode(), "巨大病院", "キョダイビョウイン");
        huge.addAlias("x".repeat(30 * 1024 * 1024));

        assertThatThrownBy(() -> client.create().resource(huge).execute())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("The request body is too large (30 MB; the limit is 8 MB)");
    }

    @Test
    void aBodySentWithoutItsLengthIsRefusedOnceItPassesTheLimit() throws Exception {
        String head = "POST /fhir/Organization HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/fhir+json\r\nAccept: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n";
        byte[] megabyte = new byte[1024 * 1024];
        Arrays.fill(megabyte, (byte) ' ');
        String answer = rawExchange(head, out -> {
            for (int i = 0; i < 9; i++) {
                out.write(("100000\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(megabyte);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        assertThat(answer).startsWith("HTTP/1.1 413")
                .contains("リクエスト本文が上限 8 MB を超えました", "The request body is over the limit of 8 MB");
    }

    @Test
    void aCompressedBodyCountsUnpackedAndASmallOneStillWorks() throws Exception {
        byte[] spaces = new byte[9 * 1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        HttpResponse<String> bomb = http.send(gzipPost("/fhir/Organization", spaces), HttpResponse.BodyHandlers.ofString());
        assertThat(bomb.statusCode()).as("%s compressed bytes unpacking to 9 MB", gzip(spaces).length).isEqualTo(413);
        assertThat(bomb.body()).contains("The request body is over the limit of 8 MB");

        String lookup = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"system\",\"valueUri\":\""
                + Network.SHITEI_NANBYO + "\"},{\"name\":\"code\",\"valueCode\":\"2\"}]}";
        HttpResponse<String> small = http.send(gzipPost("/fhir/CodeSystem/$lookup", lookup.getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).contains("筋萎縮性側索硬化症");
    }

    // ---- the elements of a request body: nanbyo.fhir.maximum-request-elements, 100,000 by default

    @Test
    void aResourceOfMoreElementsThanTheLimitIsRefusedBeforeItIsParsed() throws Exception {
        // 2.2 MB: far under the byte limit, yet a million such aliases ran a -Xmx768m server out of memory.
        String code = newHospitalCode();
        Organization crowded = hospital(code, "要素過多病院", "ヨウソカタビョウイン");
        for (int i = 0; i < 100_001; i++) {
            crowded.addAlias("別名" + i);
        }

        HttpResponse<String> refused = post("/Organization", FHIR.newJsonParser().encodeResourceToString(crowded));

        assertTooLargeAndNothingStored(refused, code, "リクエスト本文の要素が上限 100,000 個を超えました",
                "The request body holds more elements than the limit of 100,000");
    }

    @Test
    void elementsAreCountedInXmlAndUnpackedFromGzipToo() throws Exception {
        Organization crowded = hospital(newHospitalCode(), "要素過多病院", "ヨウソカタビョウイン");
        for (int i = 0; i < 150_000; i++) {
            crowded.addAlias("a");
        }
        byte[] xml = FHIR.newXmlParser().encodeResourceToString(crowded).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/Organization"))
                .header("Content-Type", "application/fhir+xml").header("Accept", "application/fhir+json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(xml))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).as("%s compressed bytes of XML", gzip(xml).length).isEqualTo(413);
        assertThat(refused.body()).contains("The request body holds more elements than the limit of 100,000");
    }

    // ---- the entries of a transaction or batch: nanbyo.fhir.maximum-bundle-entries, 2,000 by default

    @Test
    void aTransactionOverTheEntryLimitIsRefusedBeforeAnyEntryIsWritten() throws Exception {
        String firstCode = newHospitalCode();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(hospital(firstCode, "上限超過病院", "ジョウゲンチョウカビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");
        while (transaction.getEntry().size() < 2_001) {
            transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(hospital(newHospitalCode(), "上限超過病院", "ジョウゲンチョウカビョウイン"))
                    .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization");
        }

        HttpResponse<String> refused = post("", FHIR.newJsonParser().encodeResourceToString(transaction));

        assertTooLargeAndNothingStored(refused, firstCode, "Bundle のエントリーが多すぎます（2,001 件、上限 2,000 件）",
                "the Bundle has too many entries: 2,001, the limit is 2,000");
    }

    /** A 413 with an OperationOutcome saying why, and no hospital of that code stored. */
    private void assertTooLargeAndNothingStored(HttpResponse<String> refused, String hospitalCode, String... reasons) {
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("OperationOutcome").contains(reasons);
        assertThat(client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(JpCoreSystems.MEDICAL_INSTITUTION_CODE, hospitalCode))
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    @Test
    void aBatchOverTheEntryLimitIsRefusedToo() throws Exception {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        while (batch.getEntry().size() < 2_001) {
            batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Organization/no-such-" + batch.getEntry().size());
        }

        HttpResponse<String> refused = post("", FHIR.newJsonParser().encodeResourceToString(batch));

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("2,001 件、上限 2,000 件");
    }

    @Test
    void aBundlesTurnIsGivenBackHoweverItEnds() throws Exception {
        // At most twice the entry limit in Bundles at once; a Bundle holds its entries' turn until it is answered.
        Bundle committed = client.transaction().withBundle(hospitalWithSiteTransaction(newHospitalCode())).execute();
        assertThat(committed.getEntry()).hasSize(2);
        Bundle invalid = hospitalWithSiteTransaction(newHospitalCode());
        ((Location) invalid.getEntry().get(1).getResource()).setManagingOrganization(new Reference("Organization/no-such-hospital"));
        HttpResponse<String> rolledBack = post("", FHIR.newJsonParser().encodeResourceToString(invalid));
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isBetween(400, 499);

        assertThat(settled("nanbyo.fhir.bundle-entries.in-progress")).isZero();
        assertThat(settled("nanbyo.fhir.request-bodies.in-progress")).isZero();
    }

    /**
     * A gauge's value once the requests before have ended: HAPI gives a turn back when it has finished a request, which
     * is after the client has the whole answer, so the gauge may lag the answer by a moment (at most 5 s here).
     */
    private double settled(String gauge) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        double value = metrics.get(gauge).gauge().value();
        while (value != 0 && System.nanoTime() < until) {
            Thread.sleep(20);
            value = metrics.get(gauge).gauge().value();
        }
        return value;
    }

    // ---- the searches of a transaction or batch: nanbyo.fhir.maximum-bundle-searches, 20 by default

    @Test
    void aBatchOfUpToTwentySearchesIsAnsweredOneMoreIsRefused() throws Exception {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        while (batch.getEntry().size() < 20) {
            batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Organization?_count=1&_offset=" + batch.getEntry().size());
        }
        Bundle answers = client.transaction().withBundle(batch).execute();
        assertThat(answers.getEntry()).hasSize(20).allSatisfy(answer -> {
            assertThat(answer.getResponse().getStatus()).startsWith("200");
            assertThat(answer.getResource()).isInstanceOf(Bundle.class);
        });

        // 1,000 searches of 200 resources each ran a server with -Xmx768m out of memory: HAPI holds every answer until it
        // sends them all.
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Location/_history");
        HttpResponse<String> refused = post("", FHIR.newJsonParser().encodeResourceToString(batch));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("Bundle の検索が多すぎます（検索・履歴・操作 21 件、上限 20 件）",
                "too many searches (searches, histories and operations): 21, the limit is 20");
    }

    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Sends a request as raw bytes and reads the answer up to the end of its chunked body (the server may wait for the
     * rest of a body it has refused, so the connection's end is not waited for).
     */
    private String rawExchange(String head, BodyWriter body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                body.write(out);
                out.flush();
            } catch (IOException closedWhileSending) {
                // The server may answer and close before it has read everything: its answer is what counts.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; !answer.toString(StandardCharsets.UTF_8).endsWith("\r\n0\r\n\r\n")
                    && (n = socket.getInputStream().read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private HttpRequest gzipPost(String path, byte[] body) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))).build();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
            out.write(content);
        }
        return packed.toByteArray();
    }

    private HttpResponse<String> send(String method, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} as raw bytes; it must be answered 400 with an OperationOutcome, which is answered. */
    private OperationOutcome refusedByTheWebServer(String request) throws Exception {
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/fhir+json");
        return FhirContext.forR4Cached().newJsonParser()
                .parseResource(OperationOutcome.class, answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void capabilityStatementListsOurProfilesAndSearchParameters() {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();

        CapabilityStatement.CapabilityStatementRestResourceComponent organization = resource(capabilities, "Organization");
        assertThat(organization.getSupportedProfile()).extracting(CanonicalType::getValue)
                .contains(NanbyoPackage.PROFILE_HOSPITAL, NanbyoPackage.PROFILE_PREFECTURE_NETWORK);
        assertThat(resource(capabilities, "HealthcareService").getSearchParam())
                .extracting(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
                .contains("eligible-disease", "accepting-referrals");
    }

    // --- helpers ------------------------------------------------------------------------------

    String rootUrl() {
        return "http://localhost:" + port;
    }

    String baseUrl() {
        return rootUrl() + "/fhir";
    }

    static String newHospitalCode() {
        // Gunma (10), 医科 (1), then 7 digits: the shape of a real 医療機関コード.
        return "101" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }

    /** Three random CJK ideographs: a name prefix no other test (or earlier run) uses. */
    static String uniqueKanji() {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            prefix.appendCodePoint(0x4E00 + ThreadLocalRandom.current().nextInt(0x5000));
        }
        return prefix.toString();
    }

    static Bundle hospitalWithSiteTransaction(String code) {
        String hospitalUuid = "urn:uuid:" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl(hospitalUuid)
                .setResource(hospital(code, "取引病院", "トリヒキビョウイン"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Organization")
                .setIfNoneExist("identifier=" + HOSPITAL_CODE + "|" + code);
        Location site = Network.facility("取引病院 本館", new Reference(hospitalUuid));
        site.addIdentifier().setSystem("urn:nanbyo:test:site").setValue(code);
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(site)
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Location")
                .setIfNoneExist("identifier=urn:nanbyo:test:site|" + code);
        return transaction;
    }

    static Reference reference(MethodOutcome created) {
        return new Reference(created.getId().toUnqualifiedVersionless().getValue());
    }

    boolean validateCode(String code) {
        Parameters result = client.operation().onType(CodeSystem.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(Network.SHITEI_NANBYO))
                .andParameter("code", new CodeType(code))
                .execute();
        return result.getParameterBool("result");
    }

    static CapabilityStatement.CapabilityStatementRestResourceComponent resource(CapabilityStatement capabilities, String type) {
        return capabilities.getRestFirstRep().getResource().stream()
                .filter(resource -> resource.getType().equals(type)).findFirst().orElseThrow();
    }

    String create(Organization organization) {
        return client.create().resource(organization).execute().getId().getIdPart();
    }

    Bundle searchHospitals(String code) {
        return client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(HOSPITAL_CODE, code))
                .totalMode(SearchTotalModeEnum.ACCURATE)
                .returnBundle(Bundle.class).execute();
    }

    int countWhere(ICriterion<?> criterion, TokenClientParam identifier, String code) {
        return client.search().forResource(Organization.class)
                .where(criterion)
                .and(identifier.exactly().systemAndCode(HOSPITAL_CODE, code))
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute().getTotal();
    }

    int countOrganizations() {
        return client.search().forResource(Organization.class).summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute().getTotal();
    }

    static List<ResourceType> resourceTypes(Bundle bundle) {
        return bundle.getEntry().stream().map(BundleEntryComponent::getResource).map(r -> r.getResourceType()).toList();
    }

    static List<String> idsOf(Bundle bundle) {
        // History entries of deletions carry no resource.
        return bundle.getEntry().stream().map(BundleEntryComponent::getResource).filter(Objects::nonNull)
                .map(IBaseResource::getIdElement).map(id -> id.getIdPart()).toList();
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(Bundle... pages) {
        return Arrays.stream(pages).flatMap(page -> page.getEntry().stream())
                .map(entry -> ((Organization) entry.getResource()).getName()).toList();
    }
}
