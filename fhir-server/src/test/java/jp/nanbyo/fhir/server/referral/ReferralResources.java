package jp.nanbyo.fhir.server.referral;

import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * The referral, its Task and a partner's Endpoint as the referral tests and the exchange benchmark write them. A class
 * of its own, without state, because the test classes' static fields start servers: the benchmark once took these from
 * {@code ReferralExchangeIT} and so started that test's registry server (a second JVM) beside the one it measured.
 */
final class ReferralResources {

    static final String CATEGORY = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-category");
    static final String SERVICE_TYPE = NanbyoCanonical.url("CodeSystem", "nanbyo-service-type");
    /** A hospital's patient numbers: JP Core's OID prefix followed by the hospital's 医療機関コード. */
    static final String PATIENT_ID = "urn:oid:1.2.392.100495.20.3.51.1";

    private ReferralResources() {
    }

    static ServiceRequest referral(String category, String patient, String requester, String performer) {
        ServiceRequest referral = new ServiceRequest();
        referral.getMeta().addProfile(NanbyoPackage.PROFILE_REFERRAL);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.addCategory(new CodeableConcept(new Coding(CATEGORY, category, null)));
        referral.setCode(new CodeableConcept(new Coding(SERVICE_TYPE, "diagnosis", null)));
        referral.setSubject(new Reference(patient));
        referral.setAuthoredOnElement(new DateTimeType("2025-10-01T09:30:00+09:00"));
        referral.setRequester(new Reference(requester));
        referral.addPerformer(new Reference(performer));
        referral.addReasonCode(new CodeableConcept(new Coding(Network.SHITEI_NANBYO, "2", "筋萎縮性側索硬化症")));
        return referral;
    }

    static Task task(String referral, String patient, String requester, String owner) {
        Task task = new Task();
        task.getMeta().addProfile(NanbyoPackage.PROFILE_REFERRAL_TASK);
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        task.setFocus(new Reference(referral));
        task.setFor(new Reference(patient));
        task.setAuthoredOnElement(new DateTimeType("2025-10-01T09:35:00+09:00"));
        task.setRequester(new Reference(requester));
        task.setOwner(new Reference(owner));
        return task;
    }

    static Endpoint endpoint(String organization, String system, String code, String address, String mimeType) {
        Endpoint endpoint = new Endpoint();
        endpoint.getMeta().addProfile(NanbyoPackage.profileUrl("nanbyo-endpoint"));
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new Coding(system, code, null));
        endpoint.setName("試験 " + code);
        endpoint.setManagingOrganization(new Reference(organization));
        endpoint.addPayloadType().setText("referral");
        endpoint.addPayloadMimeType(mimeType);
        endpoint.setAddress(address);
        return endpoint;
    }
}
