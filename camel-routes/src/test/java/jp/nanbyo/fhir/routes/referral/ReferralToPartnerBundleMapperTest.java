package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.routes.referral.ReferralToPartnerBundleMapper.PartnerBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class ReferralToPartnerBundleMapperTest {

    static final String SENT = "http://nanbyo.jp/fhir/sid/referral-exchange/gunma";
    static final String PSEUDONYM = "http://nanbyo.jp/fhir/sid/pseudonym/gunma";
    final ReferralToPartnerBundleMapper mapper = new ReferralToPartnerBundleMapper(SENT, new Pseudonyms(PSEUDONYM, "secret"));

    @Test
    void everyEntryIsAConditionalCreateSoThatARedeliveryCreatesNothing() {
        PartnerBundle sent = mapper.map(referral(false, "12"));

        assertThat(sent.transaction().getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(sent.transaction().getEntry()).allSatisfy(entry -> {
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            assertThat(entry.getRequest().getIfNoneExist()).startsWith("identifier=");
            assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
            assertThat(entry.getResource().hasId()).as("no id of ours leaves").isFalse();
        });
        assertThat(only(sent, Task.class).getIdentifierFirstRep().getValue()).isEqualTo("Task/12");
        assertThat(entry(sent, Task.class).getRequest().getIfNoneExist()).isEqualTo("identifier=" + SENT + "|Task/12");
        assertThat(entry(sent, Organization.class).getRequest().getIfNoneExist())
                .as("a hospital is matched on its 医療機関コード").contains("1011900001");
    }

    @Test
    void referencesPointAtTheEntriesOfTheTransaction() {
        PartnerBundle sent = mapper.map(referral(false, "12"));
        Set<String> fullUrls = sent.transaction().getEntry().stream().map(BundleEntryComponent::getFullUrl).collect(Collectors.toSet());
        Task task = only(sent, Task.class);
        ServiceRequest request = only(sent, ServiceRequest.class);

        assertThat(List.of(task.getFocus(), task.getFor(), task.getRequester(), task.getOwner(), request.getSubject(),
                request.getRequester(), request.getPerformerFirstRep(), only(sent, Observation.class).getSubject()))
                .extracting(Reference::getReference).allSatisfy(reference -> assertThat(fullUrls).contains(reference));
        assertThat(request.getSupportingInfo()).extracting(Reference::getReference).allSatisfy(r -> assertThat(fullUrls).contains(r));
        assertThat(task.hasPartOf()).as("what the partner does not receive is not named").isFalse();
        assertThat(request.hasBasedOn()).isFalse();
    }

    @Test
    void withoutConsentToDiscloseThePatientIsAPseudonymWithSexAndBirthYearAndTheLetterStaysHome() {
        PartnerBundle sent = mapper.map(referral(false, "12"));
        Patient patient = only(sent, Patient.class);

        assertThat(sent.identified()).isFalse();
        assertThat(patient.getName()).isEmpty();
        assertThat(patient.getIdentifier()).singleElement().satisfies(id -> assertThat(id.getSystem()).isEqualTo(PSEUDONYM));
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1998");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(resources(sent)).noneMatch(r -> r instanceof Bundle);
        assertThat(sent.leftOut()).as("the letter and the DiagnosticReport").isEqualTo(2);
        assertThat(sent.observations()).isEqualTo(1);
    }

    @Test
    void withConsentToDiscloseThePatientIsNamedAndTheLetterTravels() {
        PartnerBundle sent = mapper.map(referral(true, "12"));
        Patient patient = only(sent, Patient.class);

        assertThat(sent.identified()).isTrue();
        assertThat(patient.getNameFirstRep().getText()).isEqualTo("難病 太郎");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1998-04-12");
        assertThat(patient.getIdentifier()).extracting(id -> id.getSystem()).containsExactly(PSEUDONYM, "urn:oid:1.2.392.100495.20.3.51.11011900001");
        assertThat(entry(sent, Bundle.class).getRequest().getIfNoneExist()).isEqualTo("identifier=https://clinic.example.jp/doc|DOC-1");
        assertThat(sent.leftOut()).as("the DiagnosticReport").isEqualTo(1);
    }

    @Test
    void theSamePatientHasTheSamePseudonymAndAnotherADifferentOne() {
        String first = only(mapper.map(referral(false, "12")), Patient.class).getIdentifierFirstRep().getValue();
        String again = only(mapper.map(referral(false, "13")), Patient.class).getIdentifierFirstRep().getValue();
        ReferralPackage other = referral(false, "14");
        other.patient().setId("Patient/99");
        String another = only(mapper.map(other), Patient.class).getIdentifierFirstRep().getValue();
        String otherKey = only(new ReferralToPartnerBundleMapper(SENT, new Pseudonyms(PSEUDONYM, "another secret"))
                .map(referral(false, "12")), Patient.class).getIdentifierFirstRep().getValue();

        assertThat(first).hasSize(32).isEqualTo(again).isNotEqualTo(another).isNotEqualTo(otherKey);
    }

    // ---- a referral as the server holds it

    static ReferralPackage referral(boolean disclose, String taskId) {
        Organization hub = new Organization();
        hub.setId("Organization/1");
        hub.addIdentifier().setSystem("http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no").setValue("1011900001");
        hub.setName("試験拠点病院").setPartOf(new Reference("Organization/5"));
        Organization irud = new Organization();
        irud.setId("Organization/2");
        irud.addIdentifier().setSystem("http://nanbyo.jp/fhir/sid/national-body").setValue("irud");
        irud.setName("IRUD");
        Patient patient = new Patient();
        patient.setId("Patient/3");
        patient.addIdentifier().setSystem("urn:oid:1.2.392.100495.20.3.51.11011900001").setValue("P1");
        patient.addName().setText("難病 太郎");
        patient.setGender(AdministrativeGender.MALE).setBirthDateElement(new DateType("1998-04-12"));
        Observation seizure = new Observation();
        seizure.setId("Observation/4");
        seizure.setStatus(Observation.ObservationStatus.FINAL);
        seizure.setCode(new CodeableConcept(new Coding("http://human-phenotype-ontology.org", "HP:0001250", "Seizure")));
        seizure.setSubject(new Reference("Patient/3")).addPerformer(new Reference("Practitioner/8"));
        Consent consent = new Consent();
        consent.setId("Consent/6");
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setPatient(new Reference("Patient/3"));
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        if (disclose) {
            consent.getProvision().addAction(new CodeableConcept(new Coding(ReferralToPartnerBundleMapper.CONSENT_ACTION, "disclose", null)));
        }
        Bundle letter = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        letter.setId("Bundle/7");
        letter.getIdentifier().setSystem("https://clinic.example.jp/doc").setValue("DOC-1");
        DiagnosticReport report = new DiagnosticReport();
        report.setId("DiagnosticReport/9");
        ServiceRequest request = new ServiceRequest();
        request.setId("ServiceRequest/10");
        request.setSubject(new Reference("Patient/3")).setRequester(new Reference("Organization/1")).addPerformer(new Reference("Organization/2"));
        request.addBasedOn(new Reference("ServiceRequest/1"));
        Task task = new Task();
        task.setId("Task/" + taskId);
        task.setStatus(Task.TaskStatus.REQUESTED).setFocus(new Reference("ServiceRequest/10")).setFor(new Reference("Patient/3"));
        task.setRequester(new Reference("Organization/1")).setOwner(new Reference("Organization/2"));
        task.addPartOf(new Reference("Task/1"));
        List<Resource> supporting = new ArrayList<>(List.of(seizure, consent, letter, report));
        return new ReferralPackage(task, request, patient, hub, irud, new Endpoint().setAddress("https://irud.example.jp/fhir"), supporting);
    }

    static List<Resource> resources(PartnerBundle sent) {
        return sent.transaction().getEntry().stream().map(BundleEntryComponent::getResource).toList();
    }

    static <T extends Resource> T only(PartnerBundle sent, Class<T> type) {
        List<T> found = resources(sent).stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(type == Organization.class ? 2 : 1);
        return found.get(0);
    }

    static BundleEntryComponent entry(PartnerBundle sent, Class<? extends Resource> type) {
        return sent.transaction().getEntry().stream().filter(e -> type.isInstance(e.getResource())).findFirst().orElseThrow();
    }
}
