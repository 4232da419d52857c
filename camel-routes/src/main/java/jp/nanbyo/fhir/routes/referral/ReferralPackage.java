package jp.nanbyo.fhir.routes.referral;

import java.util.List;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A referral as this server holds it, with what a partner may need of it: the Task (with its version, for the
 * update that records the delivery), the ServiceRequest, the patient, both organizations, the partner's Endpoint,
 * and the resources the referral names as supportingInfo (observations, consent, the referral letter).
 */
record ReferralPackage(Task task, ServiceRequest referral, Patient patient, Organization requester, Organization owner,
        Endpoint endpoint, List<Resource> supportingInfo) {
}
