package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.nanbyo.fhir.routes.Eventually;
import jp.nanbyo.fhir.routes.sync.DirectorySyncRoutes;
import jp.nanbyo.fhir.routes.sync.SyncReport;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The directory sync end to end, on PostgreSQL, against a second real server (H2, Gunma's demo
 * network: 74 hospitals, their sites and designations, the prefecture's areas). One story in steps,
 * each building on the one before, as a directory lives: the first full sync (killed midway and
 * resumed), changes at the source, a resource our profiles refuse, the source down and back.
 *
 * <p>The first sync runs in a routes process of its own ({@link RoutesOnlyApplication}) talking to
 * our server through a {@link LoopbackProxy}, so that it can be killed (SIGKILL) for real after the
 * server committed its first transaction and before the answer arrived. The later runs go through
 * our server's own route ({@code direct:directory-sync}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectorySyncIT extends DirectoryServers {

    static final String DEVICE = "Device/nanbyo-directory-sync-" + SOURCE_ID;
    static final List<String> TYPES = List.of("Organization", "Location", "HealthcareService",
            "OrganizationAffiliation", "Endpoint", "Practitioner", "PractitionerRole");
    static final String GUNMA_UNIVERSITY_HOSPITAL = "1017010016";
    static final String CARDIOVASCULAR_CENTER = "1015010018";

    /** Ids of the local resources the story refers to from step to step. */
    static final Map<String, String> remembered = new HashMap<>();

    @LocalServerPort
    int port;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    MeterRegistry metrics;

    IGenericClient local;
    IGenericClient source;
    LoopbackProxy localProxy;
    final List<Process> routeProcesses = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        local = TestFhirClient.patient(port);
        source = SOURCE.awaitReady().client();
        localProxy = new LoopbackProxy(port);
    }

    @AfterEach
    void stop() throws IOException {
        routeProcesses.forEach(Process::destroyForcibly);
        localProxy.close();
        SOURCE_PROXY.up();
    }

    @Test
    @Order(1)
    void aFirstSyncKilledMidwayResumesAndEndsWithEveryResourceOnceAsAtTheSource() throws Exception {
        // Gunma University Hospital is already here, e.g. from a designation import: it must be linked, not copied.
        String hospitalHere = local.create().resource(Network.hospital(GUNMA_UNIVERSITY_HOSPITAL, "群馬大学医学部附属病院",
                "グンマダイガクイガクブフゾクビョウイン")).execute().getId().getIdPart();
        remembered.put("hospitalHere", hospitalHere);
        Map<String, Set<String>> atSource = idsByType(source, null);
        int sourceResources = atSource.values().stream().mapToInt(Set::size).sum();
        assertThat(sourceResources).as("Gunma's network at the source").isGreaterThan(250);

        // First run: killed once the server has committed its first transaction, before the answer arrives.
        Path routesDir = TestDataDir.fresh("it-sync-routes-");
        localProxy.up();
        localProxy.hold(LoopbackProxy.Hold.RESPONSE);
        Process first = startRoutes(routesDir);
        assertThat(localProxy.awaitHeld(120)).as("the first transaction held after the server committed it").isTrue();
        DesignationImportRecoveryIT.kill(first);
        localProxy.down();
        assertThat(copies().values().stream().mapToInt(Set::size).sum()).as("one transaction committed")
                .isEqualTo(TRANSACTION_SIZE);
        assertThat(watermark()).as("no watermark before the run completes").isEmpty();

        // Second run, from the same (absent) watermark: it finds the first transaction's resources already there.
        localProxy.up();
        startRoutes(routesDir);
        Eventually.waitUntil(Duration.ofMinutes(4), "the sync's watermark; see " + routesDir,
                () -> watermark().isPresent());
        String summary = awaitLog(routesDir.resolve("routes-1.log"), "Directory sync " + SOURCE_ID + " (");

        // Every source resource once here, under its local id, except the hospital linked to ours.
        Map<String, Set<String>> copies = copies();
        for (String type : TYPES) {
            Set<String> expected = new HashSet<>(atSource.get(type));
            if (type.equals("Organization")) {
                String linked = sourceIdOf(source, "Organization", GUNMA_UNIVERSITY_HOSPITAL);
                remembered.put("hospitalAtSource", linked);
                expected.remove(linked);
            }
            assertThat(copies.get(type)).as(type).isEqualTo(expected);
        }
        assertThat(local.search().byUrl("Organization?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|"
                + GUNMA_UNIVERSITY_HOSPITAL).returnBundle(Bundle.class).execute().getEntry())
                .as("no second Gunma University Hospital").singleElement()
                .satisfies(entry -> assertThat(entry.getResource().getIdElement().getIdPart()).isEqualTo(hospitalHere));
        OrganizationAffiliation hub = (OrganizationAffiliation) one(local, "OrganizationAffiliation?identifier="
                + NanbyoIdentifierSystems.DESIGNATION + "|10:" + GUNMA_UNIVERSITY_HOSPITAL + ":hub-hospital::2025-04-01");
        assertThat(hub.getIdElement().getIdPart()).startsWith(SOURCE_ID + ".");
        assertThat(hub.getParticipatingOrganization().getReference()).isEqualTo("Organization/" + hospitalHere);
        assertThat(hub.getOrganization().getReference()).startsWith("Organization/" + SOURCE_ID + ".");

        // Nothing applied twice: every copy is at its first version, and named by exactly one Provenance.
        List<Provenance> provenances = provenances();
        List<String> targets = provenances.stream().flatMap(p -> p.getTarget().stream()).map(Reference::getReference).toList();
        assertThat(targets).doesNotHaveDuplicates();
        assertThat(new HashSet<>(targets)).isEqualTo(localReferences(copies));
        assertThat(versionsOfCopies()).containsOnly("1");
        assertThat(provenances).hasSize((sourceResources - 1 + TRANSACTION_SIZE - 1) / TRANSACTION_SIZE);
        assertThat(provenances).filteredOn(p -> p.hasOccurredPeriod()).singleElement()
                .satisfies(p -> assertThat(p.getOccurredPeriod().hasStart()).as("a first run starts from nothing").isFalse());
        assertThat(provenances).allSatisfy(p -> assertThat(p.getEntity()).anySatisfy(entity -> {
            assertThat(entity.getRole()).isEqualTo(Provenance.ProvenanceEntityRole.SOURCE);
            assertThat(entity.getWhat().getIdentifier().getSystem()).isEqualTo(NanbyoIdentifierSystems.DIRECTORY_SYNC_SOURCE);
            assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo(SOURCE_ID);
            assertThat(entity.getWhat().getDisplay()).isEqualTo(sourceBaseUrl());
        }));

        // Many pages, and a reference from one page to a resource first met on a later page, resolved.
        assertThat(number(summary, "pages (\\d+)")).isGreaterThanOrEqualTo(sourceResources / PAGE_SIZE);
        assertThat(number(summary, "linked (\\d+)")).isEqualTo(1);
        String[] forward = forwardReferenceAcrossPages();
        Location referrer = local.read().resource(Location.class).withId(SOURCE_ID + "." + forward[0]).execute();
        assertThat(referrer.getPartOf().getReference()).isEqualTo("Location/" + SOURCE_ID + "." + forward[1]);
    }

    @Test
    @Order(2)
    void anIncrementalSyncAppliesUpdatesCreationsAndDeletionsAndLeavesALinkedHospitalAlone() {
        Instant before = watermark().orElseThrow();
        Organization renamed = (Organization) one(source, "Organization?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE
                + "|" + CARDIOVASCULAR_CENTER);
        source.update().resource(renamed.setName("群馬県立心臓血管センター（同期試験）")).execute();
        Organization linked = source.read().resource(Organization.class).withId(remembered.get("hospitalAtSource")).execute();
        source.update().resource(linked.setName("群馬大学病院（同期元での改称）")).execute();
        String created = source.create().resource(Network.hospital("1019990011", "同期試験病院", "ドウキシケンビョウイン"))
                .execute().getId().getIdPart();
        String createdSite = source.create().resource(Network.facility("同期試験病院", new Reference("Organization/" + created)))
                .execute().getId().getIdPart();
        Location doomed = (Location) one(source, "Location?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|"
                + CARDIOVASCULAR_CENTER);
        // The site goes, and with it what refers to it at the source (its service): the source refuses to delete a
        // resource still referred to, and so does our server.
        List<String> doomedWithReferrers = all(source, "Location?_id=" + doomed.getIdElement().getIdPart() + "&_revinclude=*")
                .stream().filter(resource -> TYPES.contains(resource.fhirType()))
                .map(resource -> resource.getIdElement().toUnqualifiedVersionless().getValue()).toList();
        assertThat(doomedWithReferrers).as("the site and its service").hasSizeGreaterThanOrEqualTo(2)
                .anyMatch(id -> id.startsWith("HealthcareService/"));
        Bundle deletion = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        doomedWithReferrers.forEach(id -> deletion.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(id));
        source.transaction().withBundle(deletion).execute();

        SyncReport report = sync();

        assertThat(report.since()).isEqualTo(before);
        assertThat(report.rejected()).isEmpty();
        assertThat(report.counts().created()).isEqualTo(2);
        assertThat(report.counts().updated()).isEqualTo(1);
        assertThat(report.counts().deleted()).isEqualTo(doomedWithReferrers.size());
        assertThat(report.counts().linked()).isEqualTo(1);
        assertThat(report.watermarkRecorded()).isTrue();
        assertThat(report.watermark()).isAfter(before);
        assertThat(report.pages()).isGreaterThanOrEqualTo(TYPES.size());
        assertThat(watermark()).hasValue(report.watermark());

        assertThat(local.read().resource(Organization.class).withId(local(renamed)).execute().getName())
                .isEqualTo("群馬県立心臓血管センター（同期試験）");
        assertThat(local.read().resource(Organization.class).withId(remembered.get("hospitalHere")).execute().getName())
                .as("a hospital held here of another origin is never changed by a sync").isEqualTo("群馬大学医学部附属病院");
        assertThat(local.read().resource(Location.class).withId(SOURCE_ID + "." + createdSite).execute()
                .getManagingOrganization().getReference()).isEqualTo("Organization/" + SOURCE_ID + "." + created);
        assertThatThrownBy(() -> local.read().resource(Location.class).withId(local(doomed)).execute())
                .as("deleted although earlier Provenances name it").isInstanceOf(ResourceGoneException.class);
        for (String id : doomedWithReferrers) {
            String[] typeAndId = id.split("/");
            assertThatThrownBy(() -> local.read().resource(typeAndId[0]).withId(SOURCE_ID + "." + typeAndId[1]).execute())
                    .as(id).isInstanceOf(ResourceGoneException.class);
        }
        Provenance last = provenances().get(0);
        assertThat(last.getTarget()).extracting(Reference::getReference).containsExactlyInAnyOrder(
                "Organization/" + local(renamed), "Organization/" + SOURCE_ID + "." + created,
                "Location/" + SOURCE_ID + "." + createdSite);
        assertThat(last.getEntity()).anySatisfy(entity -> {
            assertThat(entity.getRole()).isEqualTo(Provenance.ProvenanceEntityRole.REMOVAL);
            assertThat(entity.getWhat().getDisplay()).isEqualTo("Location/" + local(doomed));
        });
        assertThat(last.getOccurredPeriod().getStart().toInstant()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aResourceOurProfilesRefuseIsReportedAndTheRestIsApplied() throws Exception {
        // The source no longer checks profiles (a directory of another make): an Organization that declares none.
        Organization foreign = new Organization().setName("プロファイルのない組織");
        String refused = source.create().resource(foreign).execute().getId().getIdPart();
        String accepted = source.create().resource(Network.hospital("1019990012", "同期試験第二病院", "ドウキシケンダイニビョウイン"))
                .execute().getId().getIdPart();
        remembered.put("second", accepted);

        SyncReport report = sync();

        assertThat(report.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.resourceType()).isEqualTo("Organization");
            assertThat(rejected.sourceId()).isEqualTo(refused);
            assertThat(rejected.localId()).isEqualTo(SOURCE_ID + "." + refused);
            assertThat(rejected.reason()).contains("HTTP 422").contains("meta.profile");
        });
        assertThat(report.counts().created()).isEqualTo(1);
        assertThat(report.watermarkRecorded()).isTrue();
        assertThatThrownBy(() -> local.read().resource(Organization.class).withId(SOURCE_ID + "." + refused).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(local.read().resource(Organization.class).withId(SOURCE_ID + "." + accepted).execute().getName())
                .isEqualTo("同期試験第二病院");

        // The next run, through the HTTP trigger operators use.
        HttpResponse<String> next = trigger(SOURCE_ID);
        assertThat(next.statusCode()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(next.body());
        assertThat(answer.path("source").asText()).isEqualTo(SOURCE_ID);
        assertThat(answer.path("since").asText()).isEqualTo(report.watermark().toString());
        assertThat(answer.path("rejected")).as("the watermark has moved past it: refused once, not at every poll").isEmpty();
        assertThat(answer.path("counts").path("created").asInt() + answer.path("counts").path("updated").asInt()).isZero();
        assertThat(trigger("no-such-source").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void theSourceDownThenBackTheRunIsRetriedAndCompletes() throws Exception {
        Organization second = source.read().resource(Organization.class).withId(remembered.get("second")).execute();
        source.update().resource(second.setName("同期試験第二病院（改称）")).execute();
        double failedBefore = unavailableRuns();
        SOURCE_PROXY.down();

        CompletableFuture<SyncReport> run = CompletableFuture.supplyAsync(this::sync);
        Eventually.waitUntil(Duration.ofSeconds(60), "a run that found the source down", () -> unavailableRuns() > failedBefore);
        assertThat(run).isNotDone();
        SOURCE_PROXY.up();
        SyncReport report = run.get(2, TimeUnit.MINUTES);

        assertThat(report.counts().updated()).isEqualTo(1);
        assertThat(local.read().resource(Organization.class).withId(SOURCE_ID + "." + remembered.get("second")).execute()
                .getName()).isEqualTo("同期試験第二病院（改称）");
        assertThat(DATA_DIR.resolve("dead-letter")).as("retried, not given up").doesNotExist();
    }

    // ---- helpers

    SyncReport sync() {
        return routes.requestBody(DirectorySyncRoutes.ENDPOINT, SOURCE_ID, SyncReport.class);
    }

    HttpResponse<String> trigger(String sourceId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/directory-sync/" + sourceId))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(2)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    double unavailableRuns() {
        Counter counter = metrics.find("nanbyo.directory.sync.runs").tags("source", SOURCE_ID, "outcome", "unavailable").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Starts the routes alone, syncing {@value #SOURCE_ID} into our server through the local proxy, at once. */
    Process startRoutes(Path dataDir) throws IOException {
        List<String> command = ChildJvm.command("384m", RoutesOnlyApplication.class);
        command.addAll(List.of(
                "--nanbyo.data-dir=" + dataDir,
                "--nanbyo.designation-import.fhir-base-url=http://127.0.0.1:" + localProxy.port() + "/fhir",
                "--nanbyo.directory-sync.fhir-base-url=http://127.0.0.1:" + localProxy.port() + "/fhir"));
        syncSettings().forEach(setting -> command.add("--" + setting));
        command.add("--nanbyo.directory-sync.sources[0].initial-delay=0s");
        File log = dataDir.resolve("routes-" + routeProcesses.size() + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        routeProcesses.add(process);
        return process;
    }

    static String awaitLog(Path log, String expected) throws Exception {
        DesignationImportRecoveryIT.awaitLog(log, expected);
        return Files.readAllLines(log).stream().filter(line -> line.contains(expected)).findFirst().orElseThrow();
    }

    static int number(String line, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(line);
        assertThat(matcher.find()).as(pattern + " in " + line).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** The watermark as a run reads it: the newest completion Provenance of the source's Device. */
    Optional<Instant> watermark() {
        return provenances().stream().filter(p -> p.hasOccurredPeriod() && p.getOccurredPeriod().hasEnd())
                .map(p -> p.getOccurredPeriod().getEnd().toInstant()).max(Instant::compareTo);
    }

    /** The sync's Provenances, newest first. */
    List<Provenance> provenances() {
        return all(local, "Provenance?agent=" + DEVICE + "&_sort=-recorded").stream().map(Provenance.class::cast).toList();
    }

    /** The ids of every resource of the directory types, by type; {@code prefix} keeps only ids that start with it. */
    static Map<String, Set<String>> idsByType(IGenericClient fhir, String prefix) {
        Map<String, Set<String>> ids = new HashMap<>();
        for (String type : TYPES) {
            Set<String> ofType = new HashSet<>();
            for (Resource resource : all(fhir, type + "?_elements=id")) {
                String id = resource.getIdElement().getIdPart();
                if (prefix == null) {
                    ofType.add(id);
                } else if (id.startsWith(prefix)) {
                    ofType.add(id.substring(prefix.length()));
                }
            }
            ids.put(type, ofType);
        }
        return ids;
    }

    /** The source's ids of the resources copied here. */
    Map<String, Set<String>> copies() {
        return idsByType(local, SOURCE_ID + ".");
    }

    static Set<String> localReferences(Map<String, Set<String>> copies) {
        Set<String> references = new HashSet<>();
        copies.forEach((type, ids) -> ids.forEach(id -> references.add(type + "/" + SOURCE_ID + "." + id)));
        return references;
    }

    List<String> versionsOfCopies() {
        List<String> versions = new ArrayList<>();
        for (String type : TYPES) {
            all(local, type + "?_elements=id").stream()
                    .filter(resource -> resource.getIdElement().getIdPart().startsWith(SOURCE_ID + "."))
                    .forEach(resource -> versions.add(resource.getMeta().getVersionId()));
        }
        return versions;
    }

    static List<Resource> all(IGenericClient fhir, String search) {
        List<Resource> found = new ArrayList<>();
        Bundle page = fhir.search().byUrl(search + (search.contains("?") ? "&" : "?") + "_count=200")
                .returnBundle(Bundle.class).execute();
        while (true) {
            page.getEntry().forEach(entry -> found.add(entry.getResource()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return found;
            }
            page = fhir.loadPage().next(page).execute();
        }
    }

    static Resource one(IGenericClient fhir, String search) {
        List<Resource> found = all(fhir, search);
        assertThat(found).as(search).hasSize(1);
        return found.get(0);
    }

    static String sourceIdOf(IGenericClient fhir, String type, String medicalInstitutionCode) {
        return one(fhir, type + "?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|" + medicalInstitutionCode)
                .getIdElement().getIdPart();
    }

    static String local(Resource atSource) {
        return SOURCE_ID + "." + atSource.getIdElement().getIdPart();
    }

    /**
     * A Location on one page of the source's history (at the sync's page size) whose {@code partOf} names
     * a Location first met on a later page: {referrer id, target id} at the source.
     */
    String[] forwardReferenceAcrossPages() {
        Map<String, Integer> pageOf = new HashMap<>();
        Map<String, String> partOf = new HashMap<>();
        Bundle page = source.history().onType("Location").returnBundle(Bundle.class).count(PAGE_SIZE).execute();
        for (int number = 1; ; number++) {
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                if (entry.getResource() instanceof Location location) {
                    pageOf.putIfAbsent(location.getIdElement().getIdPart(), number);
                    if (location.hasPartOf()) {
                        partOf.putIfAbsent(location.getIdElement().getIdPart(), location.getPartOf().getReferenceElement().getIdPart());
                    }
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = source.loadPage().next(page).execute();
        }
        return partOf.entrySet().stream()
                .filter(e -> pageOf.containsKey(e.getValue()) && pageOf.get(e.getValue()) > pageOf.get(e.getKey()))
                .map(e -> new String[] {e.getKey(), e.getValue()})
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reference to a later page in the source's Location history"));
    }
}
