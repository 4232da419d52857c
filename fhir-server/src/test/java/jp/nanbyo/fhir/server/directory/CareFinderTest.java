package jp.nanbyo.fhir.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.server.directory.CareFinder.Candidate;
import jp.nanbyo.fhir.server.directory.CareFinder.Need;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The ranking rules on resources in memory, and the guard that keeps docs/directory.md's table equal to them. */
class CareFinderTest {

    static final DirectoryTerminology TERMINOLOGY = new DirectoryTerminology(FhirContext.forR4Cached());
    static final LocalDate DAY = LocalDate.of(2026, 11, 1);
    final CareFinder finder = new CareFinder(TERMINOLOGY);

    @Test
    void theDocumentedRankingTableIsTheOneTheCodeUses() throws IOException {
        String docs = Files.readString(Path.of(System.getProperty("nanbyo.docs", "../docs"), "directory.md"));
        Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\|[^|]*\\|((?: \\d+ \\|){7})$", Pattern.MULTILINE);
        Map<String, int[]> documented = new LinkedHashMap<>();
        Matcher matcher = row.matcher(docs);
        while (matcher.find()) {
            documented.put(matcher.group(1), Arrays.stream(matcher.group(2).split("\\|"))
                    .map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray());
        }
        assertThat(documented.keySet()).containsExactlyElementsOf(CareFinder.POINTS.keySet());
        CareFinder.POINTS.forEach((reason, points) -> assertThat(documented.get(reason)).as(reason).containsExactly(points));
        assertThat(CareFinder.POINTS.keySet()).as("every reason is a code of nanbyo-care-finder-reason")
                .containsExactlyInAnyOrderElementsOf(TERMINOLOGY.reasons.concepts().keySet());
    }

    @Test
    void aFieldHubOutranksTheHubForItsFieldOnlyAndTheLocalCooperatingHospitalOutranksTheOthers() {
        List<OrganizationAffiliation> designations = List.of(
                designation("Organization/hub", "hub-hospital", null, "Location/pref"),
                designation("Organization/neuro", "field-hub-hospital", "neuromuscular", "Location/pref"),
                designation("Organization/near", "cooperating-hospital", null, "Location/numata"),
                designation("Organization/far", "cooperating-hospital", null, "Location/maebashi"));
        List<Candidate> neuromuscular = finder.rank(need("diagnosis", List.of("neuromuscular"), null), designations, List.of(), Map.of());
        assertThat(neuromuscular).extracting(Candidate::organization)
                .containsExactly("Organization/neuro", "Organization/hub", "Organization/near", "Organization/far");
        assertThat(neuromuscular.get(0).score()).isBetween(0.0, 1.0);

        List<Candidate> immunological = finder.rank(need("diagnosis", List.of("immunological"), null), designations, List.of(), Map.of());
        assertThat(immunological).extracting(Candidate::organization).as("a field hub of another field is no candidate")
                .containsExactly("Organization/hub", "Organization/near", "Organization/far");
    }

    @Test
    void aServicePausedOnTheDayNotAcceptingReferralsOrNotDeliveredAsAskedDoesNotCount() {
        HealthcareService paused = service("Organization/a", true, "in-person");
        paused.addNotAvailable().setDescription("改修工事").setDuring(new Period()
                .setStartElement(new DateTimeType("2026-10-01")).setEndElement(new DateTimeType("2026-12-31")));
        HealthcareService refusing = service("Organization/b", false, "in-person");
        HealthcareService inPerson = service("Organization/c", true, "in-person");
        HealthcareService online = service("Organization/d", null, "online");
        List<HealthcareService> services = List.of(paused, refusing, inPerson, online);

        assertThat(finder.rank(need("respite-admission", List.of(), null), List.of(), services, Map.of()))
                .extracting(Candidate::organization).containsExactly("Organization/c", "Organization/d");
        assertThat(finder.rank(need("respite-admission", List.of(), "online"), List.of(), services, Map.of()))
                .extracting(Candidate::organization).containsExactly("Organization/d");
        Candidate accepting = finder.rank(need("respite-admission", List.of(), null), List.of(), services, Map.of()).get(0);
        assertThat(accepting.reasons()).extracting(CareFinder.Reason::code)
                .containsExactly("offers-service", "same-area", "accepting-referrals");
        assertThat(accepting.points()).isEqualTo(40 + 30 + 5);
    }

    @Test
    void aRuleCountsOnceWithItsBestEvidence() {
        List<OrganizationAffiliation> twice = List.of(
                designation("Organization/x", "cooperating-hospital", null, "Location/numata"),
                designation("Organization/x", "cooperating-hospital", null, "Location/maebashi"));
        Candidate candidate = finder.rank(need("continuing-care", List.of(), null), twice, List.of(), Map.of()).get(0);
        assertThat(candidate.points()).isEqualTo(40 + 30);
        assertThat(candidate.reasons()).extracting(CareFinder.Reason::code).containsExactly("cooperating-hospital", "same-area");
    }

    private static Need need(String service, List<String> fields, String delivery) {
        return new Need(service, fields.isEmpty() ? null : "2", fields, Set.of("Location/numata"), DAY, delivery);
    }

    private static OrganizationAffiliation designation(String hospital, String role, String field, String area) {
        OrganizationAffiliation designation = new OrganizationAffiliation();
        designation.setParticipatingOrganization(new Reference(hospital));
        designation.addCode(new CodeableConcept(new Coding(DirectoryTerminology.ROLE_SYSTEM, role, null)));
        if (field != null) {
            designation.addSpecialty(new CodeableConcept(new Coding(DirectoryTerminology.FIELD_SYSTEM, field, null)));
        }
        designation.setPeriod(new Period().setStartElement(new DateTimeType("2025-04-01")));
        designation.addLocation(new Reference(area));
        return designation;
    }

    private static HealthcareService service(String provider, Boolean accepting, String delivery) {
        HealthcareService service = new HealthcareService().setName("レスパイト入院").setProvidedBy(new Reference(provider));
        service.addCoverageArea(new Reference("Location/numata"));
        if (accepting != null) {
            service.addExtension(NanbyoPackage.EXTENSION_ACCEPTING_REFERRALS, new BooleanType(accepting));
        }
        service.addExtension(NanbyoPackage.EXTENSION_DELIVERY_METHOD, new CodeType(delivery));
        return service;
    }
}
