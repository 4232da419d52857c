package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Action;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Unit;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Write;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The planner against an in-memory local directory and source: identity, references, order, deletions. */
class SyncPlannerTest {

    static final String BASE = "https://fhir.pref.gunma.example/fhir";
    static final String CODE = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    /** Local resources by Type/id: their meta.source and identifiers. */
    final Map<String, String> localSources = new HashMap<>();
    final Map<String, List<String>> localIdentifiers = new HashMap<>();
    /** The source's current resources by Type/id, for references to resources not in the history read. */
    final Map<String, SourceVersion> atSource = new HashMap<>();
    final List<String> fetchedFromSource = new ArrayList<>();

    final SyncPlanner.LocalLookup local = new SyncPlanner.LocalLookup() {
        @Override
        public Map<String, Optional<String>> copies(String type, Collection<String> localIds) {
            Map<String, Optional<String>> copies = new HashMap<>();
            localIds.stream().filter(id -> localSources.containsKey(type + "/" + id))
                    .forEach(id -> copies.put(id, Optional.ofNullable(localSources.get(type + "/" + id))));
            return copies;
        }

        @Override
        public Map<String, Set<String>> holders(String type, Collection<String> identifierKeys) {
            Map<String, Set<String>> holders = new HashMap<>();
            localIdentifiers.forEach((reference, keys) -> {
                if (reference.startsWith(type + "/")) {
                    keys.stream().filter(identifierKeys::contains).forEach(key ->
                            holders.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(reference.substring(type.length() + 1)));
                }
            });
            return holders;
        }
    };

    final SyncPlanner.SourceLookup source = (type, ids) -> {
        List<SourceVersion> found = new ArrayList<>();
        for (String id : ids) {
            fetchedFromSource.add(type + "/" + id);
            Optional.ofNullable(atSource.get(type + "/" + id)).ifPresent(found::add);
        }
        return found;
    };

    SyncPlan plan(List<SourceVersion> changes, boolean full, int transactionSize) {
        SourceToLocalMapper mapper = new SourceToLocalMapper(FhirContext.forR4Cached(), "gunma", BASE);
        return new SyncPlanner(mapper, "gunma", DirectorySyncProperties.DIRECTORY_TYPES, transactionSize, local, source)
                .plan(changes, full);
    }

    SyncPlan plan(SourceVersion... changes) {
        return plan(List.of(changes), false, 200);
    }

    @Test
    void aFirstSyncCreatesEverythingAndWritesWhatIsReferredToFirstWhateverThePageItCameOn() {
        // The history lists the designation first (newest first), the hospital it names on a later page.
        SyncPlan plan = plan(
                version(designation("9", "Organization/10", "Organization/1306"), "1"),
                version(hospital("1306", "1017010016"), "1"),
                version(network("10"), "1"));

        List<Write> writes = writes(plan);
        assertThat(writes).extracting(Write::action).containsOnly(Action.CREATE);
        assertThat(writes).extracting(Write::localReference)
                .containsExactlyInAnyOrder("OrganizationAffiliation/gunma.9", "Organization/gunma.1306", "Organization/gunma.10");
        assertThat(indexOf(writes, "Organization/gunma.1306")).isLessThan(indexOf(writes, "OrganizationAffiliation/gunma.9"));
        assertThat(indexOf(writes, "Organization/gunma.10")).isLessThan(indexOf(writes, "OrganizationAffiliation/gunma.9"));
        OrganizationAffiliation designation = (OrganizationAffiliation) write(plan, "OrganizationAffiliation/gunma.9").resource();
        assertThat(designation.getParticipatingOrganization().getReference()).isEqualTo("Organization/gunma.1306");
        assertThat(plan.rejected()).isEmpty();
        assertThat(fetchedFromSource).as("everything referred to came in the history").isEmpty();
    }

    @Test
    void aCopyAtTheVersionReadIsLeftAloneAnOlderOneIsUpdatedAndAResyncWritesBoth() {
        localSources.put("Organization/gunma.1306", BASE + "/Organization/1306/_history/2#req");
        localSources.put("Organization/gunma.1307", BASE + "/Organization/1307/_history/1");

        List<SourceVersion> changes = List.of(version(hospital("1306", "1017010016"), "2"), version(hospital("1307", "1017010017"), "3"));
        SyncPlan plan = plan(changes, false, 200);

        assertThat(plan.unchanged()).isEqualTo(1);
        assertThat(writes(plan)).singleElement().satisfies(write -> {
            assertThat(write.action()).isEqualTo(Action.UPDATE);
            assertThat(write.localId()).isEqualTo("gunma.1307");
        });
        assertThat(writes(plan(changes, true, 200))).extracting(Write::action).containsExactly(Action.UPDATE, Action.UPDATE);
    }

    @Test
    void deletesWhatItHoldsLastAndCountsADeletionOfWhatItDoesNotHoldAsUnchanged() {
        localSources.put("Location/gunma.20", BASE + "/Location/20/_history/1");

        SyncPlan plan = plan(deletion("Location", "20", "2"), deletion("Location", "21", "2"),
                version(hospital("1306", "1017010016"), "1"));

        List<Write> writes = writes(plan);
        assertThat(writes).extracting(Write::action).containsExactly(Action.CREATE, Action.DELETE);
        assertThat(writes.get(1).localReference()).isEqualTo("Location/gunma.20");
        assertThat(plan.unchanged()).isEqualTo(1);
    }

    @Test
    void aHospitalTheDirectoryHoldsFromAnotherOriginIsLinkedNotCopiedAndReferencesPointToIt() {
        // 群馬大学医学部附属病院 imported here from Gunma's designation list, with the same 医療機関コード.
        localIdentifiers.put("Organization/1001", List.of(CODE + "|1017010016"));

        SyncPlan plan = plan(version(hospital("1306", "1017010016"), "1"),
                version(site("20", "Organization/1306"), "1"));

        assertThat(plan.linked()).isEqualTo(1);
        assertThat(writes(plan)).extracting(Write::localReference).containsExactly("Location/gunma.20");
        assertThat(((Location) write(plan, "Location/gunma.20").resource()).getManagingOrganization().getReference())
                .isEqualTo("Organization/1001");
    }

    @Test
    void itsOwnCopyStaysItsOwnEvenWhenALocalResourceGotTheSameIdentifierLater() {
        localSources.put("Organization/gunma.1306", BASE + "/Organization/1306/_history/1");
        localIdentifiers.put("Organization/gunma.1306", List.of(CODE + "|1017010016"));
        localIdentifiers.put("Organization/1001", List.of(CODE + "|1017010016"));

        SyncPlan plan = plan(version(hospital("1306", "1017010016"), "2"));

        assertThat(plan.linked()).isZero();
        assertThat(writes(plan)).singleElement().extracting(Write::action).isEqualTo(Action.UPDATE);
    }

    @Test
    void anIdentifierHeldByTwoLocalResourcesIsRejectedAndSoIsWhatRefersToIt() {
        localIdentifiers.put("Organization/1001", List.of(CODE + "|1017010016"));
        localIdentifiers.put("Organization/1002", List.of(CODE + "|1017010016"));

        SyncPlan plan = plan(version(hospital("1306", "1017010016"), "1"), version(site("20", "Organization/1306"), "1"),
                version(network("10"), "1"));

        assertThat(plan.rejected()).extracting(SyncPlan.Rejection::localId).containsExactlyInAnyOrder("gunma.1306", "gunma.20");
        assertThat(plan.rejected()).filteredOn(r -> r.localId().equals("gunma.20")).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("Organization/1306").contains("rejected"));
        assertThat(writes(plan)).extracting(Write::localReference).containsExactly("Organization/gunma.10");
    }

    @Test
    void aReferenceToAResourceNotInTheHistoryIsResolvedHereOrTakenFromTheSourceOrRejected() {
        localSources.put("Organization/gunma.10", BASE + "/Organization/10/_history/1"); // held from an earlier run
        atSource.put("Organization/1306", version(hospital("1306", "1017010016"), "4")); // never taken

        SyncPlan plan = plan(
                version(designation("9", "Organization/10", "Organization/1306"), "2"),
                version(designation("8", "Organization/10", "Organization/404"), "1"),
                version(site("21", "Organization/10").setPartOf(new Reference("Endpoint/5")), "1"));

        assertThat(fetchedFromSource).containsExactlyInAnyOrder("Organization/1306", "Organization/404", "Endpoint/5");
        assertThat(plan.fetched()).isEqualTo(1);
        assertThat(writes(plan)).extracting(Write::localReference)
                .containsExactly("Organization/gunma.1306", "OrganizationAffiliation/gunma.9");
        assertThat(plan.rejected()).extracting(SyncPlan.Rejection::localId, SyncPlan.Rejection::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("gunma.8", "it refers to Organization/404, which the source does not hold"),
                org.assertj.core.groups.Tuple.tuple("gunma.21", "it refers to Endpoint/5, which the source does not hold"));
    }

    @Test
    void aReferenceToATypeNotSyncedIsRejectedWithoutAskingTheSource() {
        SourceToLocalMapper mapper = new SourceToLocalMapper(FhirContext.forR4Cached(), "gunma", BASE);
        SyncPlan plan = new SyncPlanner(mapper, "gunma", List.of("Organization", "Location"), 200, local, source)
                .plan(List.of(version(hospital("1306", "1017010016").addEndpoint(new Reference("Endpoint/5")), "1")), false);

        assertThat(plan.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).contains("a type this sync does not take"));
        assertThat(fetchedFromSource).isEmpty();
    }

    @Test
    void resourcesThatReferToOneAnotherGoIntoOneTransactionAndTransactionsKeepToTheirSize() {
        Organization a = hospital("1", "1");
        a.setPartOf(new Reference("Organization/2"));
        Organization b = hospital("2", "2");
        b.setPartOf(new Reference("Organization/1"));
        List<SourceVersion> changes = new ArrayList<>(List.of(version(a, "1"), version(b, "1")));
        for (int i = 3; i <= 7; i++) {
            changes.add(version(hospital(String.valueOf(i), String.valueOf(i)), "1"));
        }

        SyncPlan plan = plan(changes, false, 2);

        assertThat(plan.transactions()).allSatisfy(transaction ->
                assertThat(transaction.stream().mapToInt(unit -> unit.writes().size()).sum()).isLessThanOrEqualTo(2));
        assertThat(plan.transactions().stream().flatMap(List::stream))
                .filteredOn(unit -> unit.writes().size() == 2).singleElement()
                .satisfies(unit -> assertThat(unit.writes()).extracting(Write::localId)
                        .containsExactlyInAnyOrder("gunma.1", "gunma.2"));
        assertThat(plan.writes()).isEqualTo(7);
    }

    // ---- helpers

    static List<Write> writes(SyncPlan plan) {
        return plan.transactions().stream().flatMap(List::stream).map(Unit::writes).flatMap(List::stream).toList();
    }

    static Write write(SyncPlan plan, String localReference) {
        return writes(plan).stream().filter(w -> w.localReference().equals(localReference)).findFirst().orElseThrow();
    }

    static int indexOf(List<Write> writes, String localReference) {
        return writes.stream().map(Write::localReference).toList().indexOf(localReference);
    }

    static SourceVersion version(Resource resource, String version) {
        return new SourceVersion(resource.fhirType(), resource.getIdElement().getIdPart(), version, T0, resource);
    }

    static SourceVersion deletion(String type, String id, String version) {
        return new SourceVersion(type, id, version, null, null);
    }

    static Organization hospital(String id, String code) {
        Organization hospital = new Organization().setName("病院 " + id);
        hospital.setId("Organization/" + id);
        hospital.addIdentifier().setSystem(CODE).setValue(code);
        return hospital;
    }

    static Organization network(String id) {
        Organization network = new Organization().setName("群馬県難病医療提供体制");
        network.setId("Organization/" + id);
        return network;
    }

    static Location site(String id, String organization) {
        Location site = new Location().setName("所在地 " + id);
        site.setId("Location/" + id);
        site.setManagingOrganization(new Reference(organization));
        return site;
    }

    static OrganizationAffiliation designation(String id, String network, String hospital) {
        OrganizationAffiliation designation = new OrganizationAffiliation();
        designation.setId("OrganizationAffiliation/" + id);
        designation.setOrganization(new Reference(network));
        designation.setParticipatingOrganization(new Reference(hospital));
        return designation;
    }
}
