package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.nanbyo.fhir.server.directory.DirectoryReader.DesignationQuery;
import jp.nanbyo.fhir.server.directory.DirectoryReader.Found;
import jp.nanbyo.fhir.server.directory.DirectoryTerminology.Concept;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code OrganizationAffiliation/$designated}: "who is designated as role R in prefecture P on date D" for
 * people who are not FHIR experts. Names or codes in, the prefecture's designations in force that day out,
 * with their hospitals and areas, sorted by role and hospital name, all in one answer. It runs exactly the
 * standard search of docs/directory.md (question 1) and says which, in an information outcome.
 */
class DesignatedOperation {

    private final DirectoryTerminology terminology;
    private final DirectoryReader reader;

    DesignatedOperation(DirectoryTerminology terminology, DirectoryReader reader) {
        this.terminology = terminology;
        this.reader = reader;
    }

    @Operation(name = "$designated", idempotent = true, type = OrganizationAffiliation.class, bundleType = ca.uhn.fhir.model.valueset.BundleTypeEnum.SEARCHSET)
    public Bundle designated(
            @OperationParam(name = "prefecture", min = 1, max = 1) StringType prefecture,
            @OperationParam(name = "role", max = 1) StringType role,
            @OperationParam(name = "field", max = 1) StringType field,
            @OperationParam(name = "area", max = 1) StringType area,
            @OperationParam(name = "date", max = 1) StringType date,
            RequestDetails request) {
        OperationInputs.checkGiven(request, List.of("prefecture", "role", "field", "area", "date"));
        Concept prefectureConcept = terminology.prefectures.resolveRequired("prefecture", prefecture);
        String roleCode = terminology.roles.resolveIfGiven("role", role).map(Concept::code).orElse(null);
        String fieldCode = terminology.fields.resolveIfGiven("field", field).map(Concept::code).orElse(null);
        String areaCode = Optional.ofNullable(OperationInputs.text(area))
                .map(a -> terminology.area(a, Optional.of(prefectureConcept.code())).code()).orElse(null);
        LocalDate day = OperationInputs.date(date);

        DesignationQuery query = new DesignationQuery(prefectureConcept.code(), day, roleCode, fieldCode, areaCode);
        Found<OrganizationAffiliation> found = reader.designations(query);

        Map<String, String> names = new HashMap<>();
        found.included().stream().filter(Organization.class::isInstance).map(Organization.class::cast)
                .forEach(o -> names.put(o.getIdElement().toUnqualifiedVersionless().getValue(), o.getName()));
        List<String> roleOrder = List.copyOf(terminology.roles.concepts().keySet());
        List<OrganizationAffiliation> designations = found.matches().stream()
                .sorted(Comparator.<OrganizationAffiliation>comparingInt(d -> roleOrder.indexOf(d.getCodeFirstRep().getCodingFirstRep().getCode()))
                        .thenComparing(d -> names.getOrDefault(CareFinder.reference(d.getParticipatingOrganization()), "")))
                .toList();

        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(designations.size());
        designations.forEach(d -> entry(bundle, request, d, SearchEntryMode.MATCH));
        found.included().forEach(r -> entry(bundle, request, r, SearchEntryMode.INCLUDE));
        bundle.addEntry().setResource(explanation(prefectureConcept, roleCode, day, query))
                .getSearch().setMode(SearchEntryMode.OUTCOME);
        return bundle;
    }

    private OperationOutcome explanation(Concept prefecture, String role, LocalDate day, DesignationQuery query) {
        String what = prefecture.display() + " / " + (role == null ? "すべての指定区分 (every role)" : terminology.roles.get(role).display())
                + " / " + day;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(what + " — 同じ答えを返す標準の検索 (the standard FHIR search giving this answer): " + query.restSearch());
        return outcome;
    }

    static void entry(Bundle bundle, RequestDetails request, Resource resource, SearchEntryMode mode) {
        bundle.addEntry()
                .setFullUrl(request.getFhirServerBase() + "/" + resource.getIdElement().toUnqualifiedVersionless().getValue())
                .setResource(resource)
                .getSearch().setMode(mode);
    }
}
