package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Resource;

/**
 * The directory searches behind the operations, run in the server through HAPI's DAOs, each one the
 * documented REST search it mirrors (docs/directory.md), so an operation answers exactly what that search
 * would. A prefecture's designations come from {@link DesignationSearchMemory} when it holds them, as the REST
 * search's do; the rest is read anew for each request.
 */
class DirectoryReader {

    static final String LEVEL_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-jurisdiction-level");

    /** What a search matched, and what its {@code _include}s brought along. */
    record Found<T extends Resource>(List<T> matches, List<Resource> included) {
    }

    /** What a designation search asks: a prefecture's designations in force on a date. */
    record DesignationQuery(String prefecture, LocalDate date, String role, String field, String area) {

        /** The REST search this query is (docs/directory.md, question 1). */
        String restSearch() {
            StringBuilder search = new StringBuilder("OrganizationAffiliation?primary-organization.identifier=")
                    .append(NanbyoIdentifierSystems.PREFECTURE_NETWORK).append('|').append(prefecture)
                    .append("&date=ge").append(date).append("&date=le").append(date);
            if (role != null) {
                search.append("&role=").append(DirectoryTerminology.ROLE_SYSTEM).append('|').append(role);
            }
            if (field != null) {
                search.append("&specialty=").append(DirectoryTerminology.FIELD_SYSTEM).append('|').append(field);
            }
            if (area != null) {
                search.append("&location.identifier=").append(DirectoryTerminology.AREA_SYSTEM).append('|').append(area);
            }
            return search.append("&_include=OrganizationAffiliation:participating-organization")
                    .append("&_include=OrganizationAffiliation:location").toString();
        }
    }

    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final DesignationSearchMemory memory;

    DirectoryReader(DaoRegistry daos, FhirContext fhirContext, DesignationSearchMemory memory) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.memory = memory;
    }

    /** Designations in force on the date (period contains it), with their hospitals and areas served. */
    Found<OrganizationAffiliation> designations(DesignationQuery query) {
        if (query.field() == null && query.area() == null) {
            Optional<Found<OrganizationAffiliation>> remembered = memory.found(
                    NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + query.prefecture(), query.role(), query.date());
            if (remembered.isPresent()) {
                return remembered.get();
            }
        }
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(OrganizationAffiliation.SP_PRIMARY_ORGANIZATION,
                byIdentifier(NanbyoIdentifierSystems.PREFECTURE_NETWORK, query.prefecture()));
        // ge and le together: the periods that contain the day (docs/directory.md, "why ge and le").
        map.add(OrganizationAffiliation.SP_DATE, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, query.date().toString()));
        map.add(OrganizationAffiliation.SP_DATE, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, query.date().toString()));
        if (query.role() != null) {
            map.add(OrganizationAffiliation.SP_ROLE, new TokenParam(DirectoryTerminology.ROLE_SYSTEM, query.role()));
        }
        if (query.field() != null) {
            map.add(OrganizationAffiliation.SP_SPECIALTY, new TokenParam(DirectoryTerminology.FIELD_SYSTEM, query.field()));
        }
        if (query.area() != null) {
            map.add(OrganizationAffiliation.SP_LOCATION, byIdentifier(DirectoryTerminology.AREA_SYSTEM, query.area()));
        }
        map.addInclude(new Include("OrganizationAffiliation:participating-organization"));
        map.addInclude(new Include("OrganizationAffiliation:location"));
        return search(OrganizationAffiliation.class, map);
    }

    /** Active services of a type whose coverage area is one of the given jurisdictions, with their providers. */
    Found<HealthcareService> services(String serviceType, List<Location> coverage) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(HealthcareService.SP_SERVICE_TYPE, new TokenParam(DirectoryTerminology.SERVICE_TYPE_SYSTEM, serviceType));
        map.add(HealthcareService.SP_ACTIVE, new TokenParam("true"));
        ReferenceOrListParam areas = new ReferenceOrListParam();
        coverage.forEach(location -> areas.addOr(new ReferenceParam(location.getIdElement().toUnqualifiedVersionless())));
        map.add(HealthcareService.SP_COVERAGE_AREA, areas);
        map.addInclude(new Include("HealthcareService:organization"));
        return search(HealthcareService.class, map);
    }

    /** A jurisdiction Location by its identifier (prefecture, 二次医療圏 or municipality). */
    Optional<Location> jurisdiction(String system, String value) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(Location.SP_IDENTIFIER, new TokenParam(system, value));
        return search(Location.class, map).matches().stream().findFirst();
    }

    Optional<Location> prefecture(String code) {
        return jurisdiction(JpCoreSystems.PREFECTURE_NO, code);
    }

    Optional<Location> area(String code) {
        return jurisdiction(DirectoryTerminology.AREA_SYSTEM, code);
    }

    /** Municipality Locations with this exact name, in any prefecture, with the 二次医療圏 each is part of. */
    Found<Location> municipalities(String name) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(Location.SP_NAME, new StringParam(name, true));
        map.add(Location.SP_TYPE, new TokenParam(LEVEL_SYSTEM, "municipality"));
        map.addInclude(new Include("Location:partof"));
        return search(Location.class, map);
    }

    /** A reference chained to the target's identifier, as {@code primary-organization.identifier=system|value}. */
    private ReferenceParam byIdentifier(String system, String value) {
        return chainedToIdentifier(fhirContext, system + "|" + value);
    }

    /** A reference chained to the target's identifier, from the token as a client writes it ({@code system|value}). */
    static ReferenceParam chainedToIdentifier(FhirContext fhirContext, String token) {
        ReferenceParam reference = new ReferenceParam();
        reference.setValueAsQueryToken(fhirContext, null, ".identifier", token);
        return reference;
    }

    @SuppressWarnings("unchecked")
    private <T extends Resource> Found<T> search(Class<T> type, SearchParameterMap map) {
        IBundleProvider result = daos.getResourceDao(type).search(map, new SystemRequestDetails());
        List<T> matches = new ArrayList<>();
        List<Resource> included = new ArrayList<>();
        for (IBaseResource resource : result.getAllResources()) {
            boolean include = ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get((IAnyResource) resource) == BundleEntrySearchModeEnum.INCLUDE
                    || !type.isInstance(resource);
            if (include) {
                included.add((Resource) resource);
            } else {
                matches.add((T) resource);
            }
        }
        return new Found<>(List.copyOf(matches), List.copyOf(included));
    }
}
