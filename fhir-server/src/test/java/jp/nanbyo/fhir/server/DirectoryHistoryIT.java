package jp.nanbyo.fhir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The directory serves mCSD's Request Care Services Updates [ITI-91] on PostgreSQL:
 * {@code [type]/_history?_since=} with paging and deletions, and says so in its CapabilityStatement;
 * and a Provenance does not keep a resource from being deleted (other references do).
 * Each test looks only at what changed since it began, so the tests sharing this server do not disturb it.
 */
class DirectoryHistoryIT extends DirectoryServers {

    static final List<String> DIRECTORY_TYPES = List.of("Organization", "Location", "HealthcareService",
            "OrganizationAffiliation", "Endpoint", "Practitioner", "PractitionerRole");

    @LocalServerPort
    int port;

    IGenericClient fhir;

    @BeforeEach
    void connect() {
        fhir = TestFhirClient.of(port);
    }

    @Test
    void theCapabilityStatementOffersHistoryOfEveryDirectoryTypeAndSaysHowToUseIt() {
        CapabilityStatement capabilities = fhir.capabilities().ofType(CapabilityStatement.class).execute();

        for (String type : DIRECTORY_TYPES) {
            CapabilityStatement.CapabilityStatementRestResourceComponent resource = capabilities.getRestFirstRep().getResource()
                    .stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow(() -> new AssertionError(type));
            assertThat(resource.getInteraction()).as(type)
                    .filteredOn(interaction -> interaction.getCode() == TypeRestfulInteraction.HISTORYTYPE)
                    .singleElement()
                    .satisfies(history -> assertThat(history.getDocumentation()).contains("ITI-91", "_since", "DELETE"));
        }
    }

    @Test
    void sinceIncludesItsOwnInstantAndLeavesOutWhatCameBefore() throws InterruptedException {
        Practitioner first = created(practitioner("境界 一"));
        Thread.sleep(20);
        Practitioner second = created(practitioner("境界 二"));
        Date firstUpdated = first.getMeta().getLastUpdated();

        assertThat(historyIds("Practitioner", firstUpdated, 50)).contains(id(first), id(second));
        assertThat(historyIds("Practitioner", new Date(firstUpdated.getTime() + 1), 50))
                .contains(id(second)).doesNotContain(id(first));
    }

    @Test
    void pagesThroughNextLinksWithASmallCountGivingEachVersionOnce() {
        // Twelve resources written in one transaction share one lastUpdated: paging must not lose any of them.
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 1; i <= 12; i++) {
            transaction.addEntry().setResource(practitioner("頁 " + i)).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Practitioner");
        }
        Bundle written = fhir.transaction().withBundle(transaction).execute();
        List<String> ids = written.getEntry().stream().map(e -> new IdType(e.getResponse().getLocation()).getIdPart()).toList();
        Date since = fhir.read().resource(Practitioner.class).withId(ids.get(0)).execute().getMeta().getLastUpdated();

        List<Bundle> pages = historyPages("Practitioner", since, 5);

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).getLink(Bundle.LINK_NEXT)).isNotNull();
        assertThat(pages.get(2).getLink(Bundle.LINK_NEXT)).isNull();
        List<String> seen = pages.stream().flatMap(page -> page.getEntry().stream())
                .map(entry -> entry.getResource().getIdElement().getIdPart()).toList();
        assertThat(seen).hasSize(12).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aDeletedResourceAppearsAsADeleteEntryNewestFirst() {
        Organization hospital = created(Network.hospital("1019990001", "削除試験病院", "サクジョシケンビョウイン"));
        fhir.delete().resourceById(hospital.getIdElement().toUnqualifiedVersionless()).execute();

        List<Bundle.BundleEntryComponent> entries = historyPages("Organization", hospital.getMeta().getLastUpdated(), 50).stream()
                .flatMap(page -> page.getEntry().stream())
                .filter(entry -> entry.getRequest().getUrl().startsWith("Organization/" + id(hospital) + "/"))
                .toList();

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(entries.get(0).getRequest().getUrl()).isEqualTo("Organization/" + id(hospital) + "/_history/2");
        assertThat(entries.get(0).getResource()).isNull();
        assertThat(entries.get(1).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
        assertThat(entries.get(1).getResource()).isInstanceOf(Organization.class);
    }

    @Test
    void aResourceAProvenanceNamesCanBeDeletedButOtherReferencesStillBlockADeletion() {
        Organization named = created(Network.hospital("1019990002", "記録のある病院", "キロクノアルビョウイン"));
        Provenance provenance = new Provenance();
        provenance.addTarget(new Reference("Organization/" + id(named)));
        provenance.setRecordedElement(InstantType.now());
        provenance.addAgent().setWho(new Reference().setDisplay("試験"));
        String provenanceId = fhir.create().resource(provenance).execute().getId().getIdPart();

        fhir.delete().resourceById("Organization", id(named)).execute();

        assertThatThrownBy(() -> fhir.read().resource(Organization.class).withId(id(named)).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(fhir.read().resource(Provenance.class).withId(provenanceId).execute().getTargetFirstRep().getReference())
                .as("the record stays").isEqualTo("Organization/" + id(named));

        // Named by a Provenance first (the referrer HAPI finds first), then by a site: the site still blocks.
        Organization referred = created(Network.hospital("1019990003", "所在地のある病院", "ショザイチノアルビョウイン"));
        Provenance first = new Provenance();
        first.addTarget(new Reference("Organization/" + id(referred)));
        first.setRecordedElement(InstantType.now());
        first.addAgent().setWho(new Reference().setDisplay("試験"));
        fhir.create().resource(first).execute();
        created(Network.facility("所在地のある病院", new Reference("Organization/" + id(referred))));
        assertThatThrownBy(() -> fhir.delete().resourceById("Organization", id(referred)).execute())
                .isInstanceOf(ResourceVersionConflictException.class)
                .hasMessageContaining("Location.managingOrganization");
        assertThat(fhir.read().resource(Organization.class).withId(id(referred)).execute().getName()).isEqualTo("所在地のある病院");
    }

    // ---- helpers

    static Practitioner practitioner(String name) {
        Practitioner practitioner = new Practitioner();
        practitioner.addName(new HumanName().setText(name));
        return practitioner;
    }

    @SuppressWarnings("unchecked")
    <T extends org.hl7.fhir.r4.model.Resource> T created(T resource) {
        return (T) fhir.create().resource(resource).execute().getResource();
    }

    static String id(org.hl7.fhir.r4.model.Resource resource) {
        return resource.getIdElement().getIdPart();
    }

    List<String> historyIds(String type, Date since, int count) {
        return historyPages(type, since, count).stream().flatMap(page -> page.getEntry().stream())
                .map(entry -> new IdType(entry.getRequest().getUrl()).getIdPart()).toList();
    }

    /** {@code [type]/_history?_since=&_count=}, every page by its next link. */
    List<Bundle> historyPages(String type, Date since, int count) {
        List<Bundle> pages = new ArrayList<>();
        Bundle page = fhir.history().onType(type).returnBundle(Bundle.class)
                .since(new InstantType(since)).count(count).execute();
        pages.add(page);
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            page = fhir.loadPage().next(page).execute();
            pages.add(page);
        }
        return pages;
    }
}
