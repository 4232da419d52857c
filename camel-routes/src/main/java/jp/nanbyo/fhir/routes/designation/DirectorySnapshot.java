package jp.nanbyo.fhir.routes.designation;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.SearchTotalModeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the directory holds today for one prefecture's list, read over FHIR REST: the prefecture's
 * frame (government, network, areas), the listed hospitals and their sites, and every designation
 * of the prefecture's network (active or ended).
 */
final class DirectorySnapshot {

    /** Identifiers per search request: keeps URLs well under server and proxy limits. */
    private static final int IDENTIFIERS_PER_SEARCH = 50;

    /** Provenances of a government looked at for its last import (it may author other Provenances too). */
    private static final int LAST_IMPORT_CANDIDATES = 10;

    /**
     * Searches answered at once, without the server storing the result set for paging (HAPI's
     * {@code Cache-Control: no-store}): several times cheaper for the small searches an import makes.
     * Such an answer stops at the server's maximum page size (200 by default) without a next link; the
     * one search that may find more (the network's designations) asks for the true total, and is paged when cut.
     */
    private static final int NOT_STORED_LIMIT = 1000;
    private static final CacheControlDirective NOT_STORED = new CacheControlDirective().setNoStore(true).setMaxResults(NOT_STORED_LIMIT);

    /** Resources by "system|value" of each of their identifiers. */
    private final Map<String, Resource> byIdentifier = new HashMap<>();
    private final Map<String, Organization> organizationsById = new HashMap<>();
    private final List<OrganizationAffiliation> designations = new ArrayList<>();

    static DirectorySnapshot load(IGenericClient client, String prefecture, DesignationTerminology terminology,
            Collection<String> medicalInstitutionCodes) {
        DirectorySnapshot snapshot = new DirectorySnapshot();
        DesignationTerminology.Prefecture p = terminology.prefecture(prefecture);
        String governmentKey = key(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE, p.localGovernmentCode());
        String networkKey = key(NanbyoIdentifierSystems.PREFECTURE_NETWORK, prefecture);

        // One search brings the network's designations with their network, its government, the areas they serve and
        // the hospitals they name; only what it did not bring is searched for after. The hospitals' sites are searched
        // for by code: `_revinclude:iterate=Location:organization` would not reach them, since HAPI applies a
        // synchronous search's reverse includes before its includes (hapifhir/hapi-fhir#7482).
        snapshot.loadDesignations(client, networkKey);
        List<String> frameKeys = Stream.of(governmentKey, networkKey)
                .filter(frameKey -> snapshot.find(Organization.class, frameKey).isEmpty())
                .toList();
        snapshot.searchByIdentifiers(client, Organization.class, frameKeys);

        List<String> areaKeys = new ArrayList<>();
        areaKeys.add(key(DesignationTerminology.PREFECTURE_SYSTEM, prefecture));
        for (DesignationTerminology.Area area : terminology.areas(prefecture)) {
            areaKeys.add(key(DesignationTerminology.AREA_SYSTEM, area.code()));
            area.municipalities().forEach(m -> areaKeys.add(key(NanbyoIdentifierSystems.MUNICIPALITY, prefecture + ":" + m)));
        }
        snapshot.searchByIdentifiers(client, Location.class, areaKeys.stream()
                .filter(areaKey -> snapshot.find(Location.class, areaKey).isEmpty())
                .toList());

        List<String> codeKeys = medicalInstitutionCodes.stream()
                .map(code -> key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, code))
                .toList();
        snapshot.searchByIdentifiers(client, Organization.class, codeKeys.stream()
                .filter(codeKey -> snapshot.find(Organization.class, codeKey).isEmpty())
                .toList());
        snapshot.searchByIdentifiers(client, Location.class, codeKeys.stream()
                .filter(codeKey -> snapshot.find(Location.class, codeKey).isEmpty())
                .toList());
        return snapshot;
    }

    /**
     * The prefecture's last import, or empty: the newest Provenance its government authored that
     * names an imported file. Read before anything else, so that a file already imported costs one search.
     */
    static Optional<Provenance> lastImport(IGenericClient client, DesignationTerminology.Prefecture prefecture) {
        Bundle page = client.search().forResource(Provenance.class)
                .whereMap(Map.of("agent:Organization.identifier",
                        List.of(escape(key(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE, prefecture.localGovernmentCode())))))
                .sort().descending(Provenance.RECORDED)
                .count(LAST_IMPORT_CANDIDATES)
                .elementsSubset("entity", "recorded", "occurred") // not the targets: a first import names thousands
                .cacheControl(NOT_STORED)
                .returnBundle(Bundle.class)
                .execute();
        return page.getEntry().stream()
                .map(entry -> (Provenance) entry.getResource())
                .filter(provenance -> importedFileHash(provenance).isPresent())
                .findFirst();
    }

    /** The SHA-256 of the file an import's Provenance names. */
    static Optional<String> importedFileHash(Provenance provenance) {
        return provenance.getEntity().stream()
                .map(entity -> entity.getWhat().getIdentifier())
                .filter(id -> NanbyoIdentifierSystems.IMPORT_FILE_SHA256.equals(id.getSystem()))
                .map(Identifier::getValue)
                .findFirst();
    }

    static String key(String system, String value) {
        return system + "|" + value;
    }

    Optional<Organization> government(DesignationTerminology.Prefecture prefecture) {
        return find(Organization.class, key(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE, prefecture.localGovernmentCode()));
    }

    Optional<Organization> network(String prefecture) {
        return find(Organization.class, key(NanbyoIdentifierSystems.PREFECTURE_NETWORK, prefecture));
    }

    Optional<Organization> hospital(String medicalInstitutionCode) {
        return find(Organization.class, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, medicalInstitutionCode));
    }

    Optional<Location> site(String medicalInstitutionCode) {
        return find(Location.class, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, medicalInstitutionCode));
    }

    Optional<Location> area(String system, String value) {
        return find(Location.class, key(system, value));
    }

    /** Every designation of the prefecture's network, active or ended. */
    List<OrganizationAffiliation> designations() {
        return designations;
    }

    /** The organization a designation's participatingOrganization points to, if the snapshot holds it. */
    Optional<Organization> organization(String reference) {
        return Optional.ofNullable(organizationsById.get(reference));
    }

    private <T extends Resource> Optional<T> find(Class<T> type, String identifierKey) {
        Resource found = byIdentifier.get(type.getSimpleName() + " " + identifierKey);
        return Optional.ofNullable(type.cast(found));
    }

    private void searchByIdentifiers(IGenericClient client, Class<? extends Resource> type, List<String> keys) {
        for (int from = 0; from < keys.size(); from += IDENTIFIERS_PER_SEARCH) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IDENTIFIERS_PER_SEARCH));
            Bundle page = client.search().forResource(type)
                    .whereMap(Map.of("identifier", List.of(String.join(",", chunk.stream().map(DirectorySnapshot::escape).toList()))))
                    .count(IDENTIFIERS_PER_SEARCH * 2)
                    .cacheControl(NOT_STORED)
                    .returnBundle(Bundle.class)
                    .execute();
            forEachResource(client, page, this::remember);
        }
    }

    private void loadDesignations(IGenericClient client, String networkKey) {
        Bundle page = designationSearch(client, networkKey).cacheControl(NOT_STORED).execute();
        if (page.getLink(Bundle.LINK_NEXT) == null && page.getTotal() != matches(page)) {
            // An unstored answer stops at the server's page size, with no next link: page through them instead.
            page = designationSearch(client, networkKey).execute();
        }
        forEachResource(client, page, resource -> {
            if (resource instanceof OrganizationAffiliation designation) {
                designations.add(designation);
            } else {
                remember(resource);
            }
        });
    }

    private static IQuery<Bundle> designationSearch(IGenericClient client, String networkKey) {
        return client.search().forResource(OrganizationAffiliation.class)
                .whereMap(Map.of("primary-organization.identifier", List.of(escape(networkKey))))
                .include(OrganizationAffiliation.INCLUDE_PRIMARY_ORGANIZATION)
                .include(OrganizationAffiliation.INCLUDE_PARTICIPATING_ORGANIZATION)
                .include(OrganizationAffiliation.INCLUDE_LOCATION)
                .include(Organization.INCLUDE_PARTOF.asRecursive())
                .totalMode(SearchTotalModeEnum.ACCURATE) // the true total, even where the answer is cut
                .count(NOT_STORED_LIMIT)
                .returnBundle(Bundle.class);
    }

    private static long matches(Bundle page) {
        return page.getEntry().stream()
                .filter(entry -> entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                .count();
    }

    private void remember(Resource resource) {
        String type = resource.fhirType();
        for (Identifier identifier : identifiers(resource)) {
            byIdentifier.put(type + " " + key(identifier.getSystem(), identifier.getValue()), resource);
        }
        if (resource instanceof Organization organization) {
            organizationsById.put(organization.getIdElement().toUnqualifiedVersionless().getValue(), organization);
        }
    }

    private static List<Identifier> identifiers(Resource resource) {
        if (resource instanceof Organization organization) {
            return organization.getIdentifier();
        }
        if (resource instanceof Location location) {
            return location.getIdentifier();
        }
        return List.of();
    }

    private static void forEachResource(IGenericClient client, Bundle first, Consumer<Resource> action) {
        for (Bundle page = first; page != null; page = next(client, page)) {
            page.getEntry().forEach(entry -> action.accept(entry.getResource()));
        }
    }

    private static Bundle next(IGenericClient client, Bundle page) {
        return page.getLink(Bundle.LINK_NEXT) == null ? null : client.loadPage().next(page).execute();
    }

    /** FHIR search escapes: a comma or backslash inside a value would split it. */
    private static String escape(String key) {
        return key.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$");
    }
}
