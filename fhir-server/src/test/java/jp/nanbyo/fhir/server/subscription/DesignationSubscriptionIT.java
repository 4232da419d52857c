package jp.nanbyo.fhir.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.designation.DesignationImportRoutes;
import jp.nanbyo.fhir.routes.designation.ImportReport;
import jp.nanbyo.fhir.server.EmbeddedPostgresInitializer;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
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
 * Topic-based subscriptions end to end on PostgreSQL: subscribers POST a backport Subscription, prefectures'
 * lists come in through the designation import route, and notifications reach real HTTP receivers on loopback.
 * Each test works on prefectures of its own. Fails if HAPI's SubscriptionTopicConfig is not imported (the
 * subscriptions still become active, but nothing is ever delivered).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = EmbeddedPostgresInitializer.class)
class DesignationSubscriptionIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-subscription-data-");
    static final LoopbackReceiver RECEIVER = startReceiver();
    static final Duration DELIVERY = Duration.ofSeconds(30);
    /** How long a receiver that should get nothing is watched (deliveries here take well under a second). */
    static final Duration QUIET = Duration.ofSeconds(2);
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String HEADER = "都道府県コード,医療機関コード,医療機関名,指定区分,専門分野,指定開始日,指定終了日,二次医療圏,郵便番号,所在地,電話番号,備考,基準日";
    static final String STATUS_PROFILE = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
        // Receivers listen on loopback over http; production allows https:// only (the default).
        registry.add("nanbyo.subscriptions.allowed-endpoints", () -> "http://127.0.0.1:");
        registry.add("nanbyo.subscriptions.submission-interval", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    DataSource dataSource;

    IGenericClient fhir;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void client() {
        fhir = TestFhirClient.of(port);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    // ---- the topic

    @Test
    void theTopicIsInstalledFromThePackageAdvertisedAndNotWritableOverRest() throws Exception {
        // How a subscriber discovers topics on an R4 server (the installer gives the Basic an id of the server's).
        Bundle topics = fhir.search().byUrl("Basic?code=http://hl7.org/fhir/fhir-types|SubscriptionTopic")
                .returnBundle(Bundle.class).execute();
        assertThat(topics.getEntry()).extracting(e -> ((Basic) e.getResource())
                .getExtensionByUrl("http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url").getValue().primitiveValue())
                .containsExactlyInAnyOrder(NanbyoPackage.SUBSCRIPTION_TOPIC_DESIGNATION_CHANGED,
                        NanbyoPackage.SUBSCRIPTION_TOPIC_REFERRAL_CHANGED);
        assertThat(fhir.search().byUrl("Basic?identifier=urn:ietf:rfc:3986|" + NanbyoPackage.SUBSCRIPTION_TOPIC_DESIGNATION_CHANGED)
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);

        CapabilityStatement capabilities = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        CapabilityStatement.CapabilityStatementRestResourceComponent subscription = capabilities.getRestFirstRep().getResource()
                .stream().filter(r -> r.getType().equals("Subscription")).findFirst().orElseThrow();
        assertThat(subscription.getSupportedProfile()).extracting(p -> p.getValue())
                .contains("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription");
        assertThat(subscription.getExtensionsByUrl(TopicCapabilityStatement.TOPIC_CANONICAL_EXTENSION))
                .extracting(e -> e.getValue().primitiveValue())
                .containsExactlyInAnyOrder(NanbyoPackage.SUBSCRIPTION_TOPIC_DESIGNATION_CHANGED,
                        NanbyoPackage.SUBSCRIPTION_TOPIC_REFERRAL_CHANGED);

        Basic topic = (Basic) topics.getEntryFirstRep().getResource();
        topic.getModifierExtension().get(0).setValue(new org.hl7.fhir.r4.model.CodeType("retired"));
        String id = topic.getIdElement().toUnqualifiedVersionless().getValue();
        HttpResponse<String> overwrite = send("PUT", id, FHIR.newJsonParser().encodeResourceToString(topic));
        assertThat(overwrite.statusCode()).isEqualTo(403);
        assertThat(overwrite.body()).contains("conformance package");
        assertThat(send("DELETE", id, "").statusCode()).isEqualTo(403);
        assertThat(send("POST", "Basic", FHIR.newJsonParser().encodeResourceToString(topic.setId((String) null))).statusCode())
                .as("nor a new topic").isEqualTo(403);
    }

    // ---- notifications: the right subscriber, the right shape

    @Test
    void aGunmaSubscriberIsNotifiedOfGunmaDesignationsAndATochigiSubscriberIsNot() throws Exception {
        importList("gunma-1.csv", row("10", "1019000001", "群馬試験第一病院", "2026-09-01"));
        importList("tochigi-1.csv", row("09", "0919000001", "栃木試験第一病院", "2026-09-01"));
        String gunma = networkOf("10");
        String tochigi = networkOf("09");
        // HAPI matches changes a moment after they are written, against the subscriptions there are then: a change
        // from before a subscription, matched after it, would reach it too.
        awaitChangesMatched();

        // The Gunma subscriber: the Subscription of docs/subscriptions.md as it stands (full resources; answers 204).
        String gunmaSubscription = create(docsExample()
                .replace("https://partner.example.jp/fhir/notifications", RECEIVER.endpoint("gunma"))
                .replace("Organization/1234", gunma));
        // The Tochigi subscriber: ids only, and it answers 200 with a Bundle.
        RECEIVER.answer("tochigi", LoopbackReceiver.Answer.TRANSACTION_RESPONSE);
        String tochigiSubscription = create(subscription(RECEIVER.endpoint("tochigi"), tochigi, "id-only"));
        awaitActive(gunmaSubscription);
        awaitActive(tochigiSubscription);

        // A second Gunma list: one hospital added (a designation created).
        ImportReport added = importList("gunma-2.csv", row("10", "1019000001", "群馬試験第一病院", "2026-10-01"),
                row("10", "1019000002", "群馬試験第二病院", "2026-10-01"));
        assertThat(added.counts().created()).isEqualTo(2); // the hospital and its designation (no address: no site)
        OrganizationAffiliation created = designation("10:1019000002:cooperating-hospital::2025-07-01");

        LoopbackReceiver.Received first = RECEIVER.next("gunma", DELIVERY);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.contentType()).startsWith("application/fhir+json");
        assertThat(first.authorization()).as("channel.header is sent").isEqualTo("Bearer 0123456789abcdef");
        Bundle notification = FHIR.newJsonParser().parseResource(Bundle.class, first.body());
        assertThat(notification.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        Parameters status = (Parameters) notification.getEntryFirstRep().getResource();
        assertThat(status.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(STATUS_PROFILE);
        assertThat(status.getParameter("type").getValue().primitiveValue()).isEqualTo("event-notification");
        assertThat(status.getParameter("status").getValue().primitiveValue()).isEqualTo("active");
        assertThat(status.getParameter("topic").getValue().primitiveValue()).isEqualTo(NanbyoPackage.SUBSCRIPTION_TOPIC_DESIGNATION_CHANGED);
        assertThat(((Reference) status.getParameter("subscription").getValue()).getReference()).contains(gunmaSubscription);
        assertThat(status.getParameter("events-since-subscription-start").getValue().primitiveValue()).isEqualTo("1");
        assertThat(focus(status)).isEqualTo(created.getIdElement().toUnqualifiedVersionless().getValue());
        Bundle.BundleEntryComponent designationEntry = notification.getEntry().get(1);
        assertThat(designationEntry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        OrganizationAffiliation delivered = (OrganizationAffiliation) designationEntry.getResource();
        assertThat(delivered.getOrganization().getReference()).isEqualTo(gunma);
        assertThat(delivered.getActive()).isTrue();
        assertThat(notification.getEntry()).as("the notification shape brings the designated hospital")
                .filteredOn(e -> e.getResource() instanceof Organization)
                .extracting(e -> ((Organization) e.getResource()).getName()).containsExactly("群馬試験第二病院");

        // A third list without the first hospital: its designation is ended (an update).
        importList("gunma-3.csv", row("10", "1019000002", "群馬試験第二病院", "2026-11-01"));
        Bundle ended = FHIR.newJsonParser().parseResource(Bundle.class, RECEIVER.next("gunma", DELIVERY).body());
        Parameters endedStatus = (Parameters) ended.getEntryFirstRep().getResource();
        assertThat(focus(endedStatus)).isEqualTo(designation("10:1019000001:cooperating-hospital::2025-07-01")
                .getIdElement().toUnqualifiedVersionless().getValue());
        assertThat(endedStatus.getParameter("events-since-subscription-start").getValue().primitiveValue()).isEqualTo("2");
        assertThat(ended.getEntry().get(1).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(((OrganizationAffiliation) ended.getEntry().get(1).getResource()).getActive()).isFalse();

        assertThat(RECEIVER.drain("tochigi", QUIET)).as("nothing of Gunma's reaches Tochigi's subscriber").isEmpty();

        // Tochigi's turn: its subscriber gets ids only, Gunma's nothing.
        importList("tochigi-2.csv", row("09", "0919000001", "栃木試験第一病院", "2026-10-01"),
                row("09", "0919000002", "栃木試験第二病院", "2026-10-01"));
        Bundle idOnly = FHIR.newJsonParser().parseResource(Bundle.class, RECEIVER.next("tochigi", DELIVERY).body());
        String tochigiDesignation = designation("09:0919000002:cooperating-hospital::2025-07-01")
                .getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(focus((Parameters) idOnly.getEntryFirstRep().getResource())).isEqualTo(tochigiDesignation);
        assertThat(idOnly.getEntry().get(1).hasResource()).as("id-only: no resource").isFalse();
        assertThat(idOnly.getEntry().get(1).getFullUrl()).contains(tochigiDesignation);
        assertThat(RECEIVER.drain("gunma", QUIET)).as("nothing of Tochigi's reaches Gunma's subscriber").isEmpty();
    }

    // ---- delivery failures

    @Test
    void aReceiverThatFailsIsRetriedUntilItTakesTheNotification() throws Exception {
        importList("saitama-1.csv", row("11", "1119000001", "埼玉試験第一病院", "2026-09-01"));
        awaitChangesMatched();
        String subscription = create(subscription(RECEIVER.endpoint("saitama"), networkOf("11"), "full-resource"));
        awaitActive(subscription);
        // A 503, then a 200 that is not FHIR (HAPI reads the answer as a transaction response): both are failures.
        RECEIVER.answerFirst("saitama", LoopbackReceiver.Answer.UNAVAILABLE, LoopbackReceiver.Answer.PLAIN_OK);

        importList("saitama-2.csv", row("11", "1119000001", "埼玉試験第一病院", "2026-10-01"),
                row("11", "1119000002", "埼玉試験第二病院", "2026-10-01"));

        List<String> attempts = List.of(RECEIVER.next("saitama", DELIVERY).body(), RECEIVER.next("saitama", DELIVERY).body(),
                RECEIVER.next("saitama", DELIVERY).body());
        assertThat(attempts).extracting(body -> FHIR.newJsonParser().parseResource(Bundle.class, body).getIdElement().getIdPart())
                .as("the same notification, sent again after each failure").containsOnly(
                        FHIR.newJsonParser().parseResource(Bundle.class, attempts.get(0)).getIdElement().getIdPart());
        assertThat(RECEIVER.drain("saitama", QUIET)).as("taken once answered 204: not sent again").isEmpty();
        assertThat(fhir.read().resource(Subscription.class).withId(subscription).execute().getStatus())
                .isEqualTo(Subscription.SubscriptionStatus.ACTIVE);
    }

    // ---- refusals

    @Test
    void aBrokenSubscriptionIsRefusedWithAnOperationOutcomeAndNotStored() throws Exception {
        importList("chiba-1.csv", row("12", "1219000001", "千葉試験第一病院", "2026-09-01"));
        String network = networkOf("12");
        String good = subscription(RECEIVER.endpoint("chiba"), network, "full-resource");
        int subscriptionsBefore = total("Subscription");

        Map<String, UnaryOperator<String>> defects = Map.of(
                "unknown topic", s -> s.replace("nanbyo-designation-changed", "nanbyo-no-such-topic"),
                "no endpoint", s -> s.replace("\"endpoint\": \"" + RECEIVER.endpoint("chiba") + "\",", ""),
                "email channel", s -> s.replace("\"rest-hook\"", "\"email\""),
                "endpoint not allowed", s -> s.replace(RECEIVER.endpoint("chiba"), "https://elsewhere.example.jp/hook"),
                "chained filter", s -> s.replace("primary-organization=" + network,
                        "primary-organization.identifier=" + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|12"),
                "filter on a network that does not exist", s -> s.replace(network, "Organization/999999"),
                "no filter", s -> s.replaceAll("\"_criteria\": \\{[^}]*}]\\s*},", ""),
                "classic criteria subscription", s -> s.replace(
                        "\"http://nanbyo.jp/fhir/SubscriptionTopic/nanbyo-designation-changed\"", "\"OrganizationAffiliation?active=true\"")
                        .replace("\"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription\"",
                                "\"http://example.org/no-profile\""),
                "heartbeat asked for", s -> s.replace("\"type\": \"rest-hook\",", "\"type\": \"rest-hook\", \"extension\": [{\"url\":"
                        + " \"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period\","
                        + " \"valueUnsignedInt\": 60}],"));
        Map<String, Expected> expected = Map.of(
                "unknown topic", new Expected(IssueType.NOTFOUND, "Subscription.criteria", "unknown topic"),
                "no endpoint", new Expected(IssueType.REQUIRED, "Subscription.channel.endpoint", "channel.endpoint"),
                "email channel", new Expected(IssueType.NOTSUPPORTED, "Subscription.channel.type", "rest-hook only"),
                "endpoint not allowed", new Expected(IssueType.SECURITY, "Subscription.channel.endpoint", "nanbyo.subscriptions.allowed-endpoints"),
                "chained filter", new Expected(IssueType.INVALID, "Subscription.criteria.extension[0]", "cannot be filtered by 'primary-organization.identifier'"),
                "filter on a network that does not exist", new Expected(IssueType.NOTFOUND, "Subscription.criteria.extension[0]", "Organization/999999 does not exist"),
                "no filter", new Expected(IssueType.REQUIRED, "Subscription.criteria", "at least one filter"),
                "classic criteria subscription", new Expected(IssueType.NOTSUPPORTED, "Subscription.meta.profile", "only topic-based subscriptions"),
                "heartbeat asked for", new Expected(IssueType.NOTSUPPORTED, "Subscription.channel.extension", "no heartbeats"));

        for (Map.Entry<String, UnaryOperator<String>> defect : defects.entrySet()) {
            String broken = defect.getValue().apply(good);
            assertThat(broken).as(defect.getKey() + " changes the example").isNotEqualTo(good);
            HttpResponse<String> response = send("POST", "Subscription", broken);
            assertThat(response.statusCode()).as(defect.getKey() + ": " + response.body()).isEqualTo(422);
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
            Expected issue = expected.get(defect.getKey());
            assertThat(outcome.getIssue()).as(defect.getKey() + ": " + response.body()).singleElement().satisfies(i -> {
                assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                assertThat(i.getCode()).isEqualTo(issue.code());
                assertThat(i.getExpression()).extracting(e -> e.getValue()).containsExactly(issue.expression());
                assertThat(i.getDiagnostics()).contains(issue.text());
            });
        }
        // Several defects: every one is reported, in both languages.
        HttpResponse<String> twice = send("POST", "Subscription", defects.get("unknown topic").apply(defects.get("email channel").apply(good)));
        OperationOutcome both = FHIR.newJsonParser().parseResource(OperationOutcome.class, twice.body());
        assertThat(both.getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getCode)
                .containsExactly(IssueType.NOTFOUND, IssueType.NOTSUPPORTED);
        assertThat(both.getIssue().get(0).getDiagnostics()).contains("このサーバーにないトピックです", "unknown topic");

        assertThat(total("Subscription")).as("nothing refused was stored").isEqualTo(subscriptionsBefore);
        assertThat(send("POST", "Subscription", good).statusCode()).as("the example itself is accepted").isEqualTo(201);
    }

    record Expected(IssueType code, String expression, String text) {
    }

    // ---- helpers

    ImportReport importList(String fileName, String... rows) {
        byte[] csv = (HEADER + "\n" + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
        ImportReport report = routes.requestBodyAndHeaders(DesignationImportRoutes.ENDPOINT, csv, Map.of(
                DesignationImportRoutes.FILE_NAME, fileName,
                DesignationImportRoutes.SOURCE, "test",
                DesignationImportRoutes.DRY_RUN, false), ImportReport.class);
        assertThat(report.status()).as(fileName + ": " + report.problems()).isEqualTo(ImportReport.Status.APPLIED);
        return report;
    }

    /** A 難病医療協力病院 designated from 2025-07-01, as of the list's reference date. */
    static String row(String prefecture, String code, String name, String referenceDate) {
        return String.join(",", prefecture, code, name, "難病医療協力病院", "", "2025-07-01", "", "", "", "", "", "", referenceDate);
    }

    /** The prefecture's network, as a subscriber finds it: {@code Organization/<id>}. */
    String networkOf(String prefecture) {
        Bundle found = fhir.search().byUrl("Organization?identifier=" + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + prefecture)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as("network of " + prefecture).hasSize(1);
        return found.getEntryFirstRep().getResource().getIdElement().toUnqualifiedVersionless().getValue();
    }

    OrganizationAffiliation designation(String key) {
        Bundle found = fhir.search().byUrl("OrganizationAffiliation?identifier=" + NanbyoIdentifierSystems.DESIGNATION + "|" + key)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).as(key).hasSize(1);
        return (OrganizationAffiliation) found.getEntryFirstRep().getResource();
    }

    /** The Subscription JSON of docs/subscriptions.md (its first json block), so the documented example is tested. */
    static String docsExample() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "subscriptions.md"));
        Matcher json = Pattern.compile("```json\\n(\\{\\n  \"resourceType\": \"Subscription\".*?)\\n```", Pattern.DOTALL).matcher(docs);
        assertThat(json.find()).as("a Subscription in a json block of docs/subscriptions.md").isTrue();
        return json.group(1);
    }

    static String subscription(String endpoint, String network, String content) throws IOException {
        return docsExample()
                .replace("https://partner.example.jp/fhir/notifications", endpoint)
                .replace("Organization/1234", network)
                .replace("\"full-resource\"", "\"" + content + "\"");
    }

    String create(String json) throws Exception {
        HttpResponse<String> response = send("POST", "Subscription", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Subscription created = FHIR.newJsonParser().parseResource(Subscription.class, response.body());
        assertThat(created.getStatus()).isEqualTo(Subscription.SubscriptionStatus.REQUESTED);
        return created.getIdElement().toUnqualifiedVersionless().getValue();
    }

    /** Every change written so far handed to matching: HAPI's queue of changes (HFJ_RESOURCE_MODIFIED) is empty. */
    void awaitChangesMatched() throws Exception {
        Eventually.waitUntil(DELIVERY, "the changes written so far matched", () -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                    ResultSet count = statement.executeQuery("select count(*) from HFJ_RESOURCE_MODIFIED")) {
                return count.next() && count.getInt(1) == 0;
            }
        });
    }

    void awaitActive(String subscription) throws Exception {
        Eventually.waitUntil(DELIVERY, subscription + " active", () -> fhir.read().resource(Subscription.class)
                .withId(subscription).execute().getStatus() == Subscription.SubscriptionStatus.ACTIVE);
    }

    static String focus(Parameters status) {
        ParametersParameterComponent event = status.getParameter().stream()
                .filter(p -> p.getName().equals("notification-event")).findFirst().orElseThrow();
        return event.getPart().stream().filter(p -> p.getName().equals("focus")).findFirst()
                .map(p -> ((Reference) p.getValue()).getReference()).orElseThrow();
    }

    int total(String resourceType) {
        return fhir.search().byUrl(resourceType + "?_summary=count").returnBundle(Bundle.class).execute().getTotal();
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + path))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static LoopbackReceiver startReceiver() {
        try {
            return new LoopbackReceiver();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the loopback receiver", e);
        }
    }
}
