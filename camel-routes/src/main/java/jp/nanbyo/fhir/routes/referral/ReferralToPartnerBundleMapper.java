package jp.nanbyo.fhir.routes.referral;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A referral as a FHIR transaction for a partner's FHIR server: the two organizations, the patient, the supporting
 * observations, the consent and (when the patient consented to be identified) the referral letter, the
 * ServiceRequest and its Task, each a conditional create on an identifier, so that delivering the same referral
 * twice (a retry after a lost answer) creates nothing the second time. Only what the partner needs leaves:
 * <ul>
 *   <li>the patient under a stable pseudonym with sex and birth year, unless the referral's consent allows
 *       disclosure ({@link ConsentToDisclose}); then name, sex, birth date and the JP Core patient ids;</li>
 *   <li>organizations with their identifiers, name, type and contact details only;</li>
 *   <li>observations with what they observed (code, value, components, interpretation, time), not who or where;</li>
 *   <li>no references to anything the partner does not receive (basedOn, partOf, encounters, extensions).</li>
 * </ul>
 * Plain Java; the partner's answer is the caller's business.
 */
final class ReferralToPartnerBundleMapper {

    /** HL7 code system of the consent actions (R4); {@code disclose} is what allows sending who the patient is. */
    static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";

    private final String senderSystem;
    private final Pseudonyms pseudonyms;

    ReferralToPartnerBundleMapper(String senderSystem, Pseudonyms pseudonyms) {
        this.senderSystem = senderSystem;
        this.pseudonyms = pseudonyms;
    }

    /** What the transaction carries, for the log and the tests (counts, never content). */
    record PartnerBundle(Bundle transaction, boolean identified, int observations, int leftOut) {
    }

    PartnerBundle map(ReferralPackage referral) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        String requester = add(transaction, organization(referral.requester()));
        String owner = add(transaction, organization(referral.owner()));
        boolean identified = ConsentToDisclose.allows(referral);
        String patient = referral.patient() == null ? null : add(transaction, patient(referral.patient(), identified));

        int observations = 0;
        int leftOut = 0;
        List<Reference> supporting = new ArrayList<>();
        for (Resource resource : referral.supportingInfo()) {
            Resource copy = null;
            if (resource instanceof Observation observation) {
                copy = observation(observation, patient);
            } else if (resource instanceof Consent consent) {
                copy = consent(consent, patient);
            } else if (resource instanceof Bundle document && identified && document.getType() == Bundle.BundleType.DOCUMENT) {
                copy = document.copy();
            }
            if (copy == null) {
                leftOut++;
                continue;
            }
            observations += copy instanceof Observation ? 1 : 0;
            String fullUrl = add(transaction, copy, resource);
            supporting.add(new Reference(fullUrl));
        }

        ServiceRequest request = new ServiceRequest();
        ServiceRequest original = referral.referral();
        request.addIdentifier(ours(original));
        request.setStatus(original.getStatus()).setIntent(original.getIntent()).setPriority(original.getPriority());
        request.setCategory(original.getCategory()).setCode(original.getCode());
        request.setReasonCode(original.getReasonCode()).setNote(original.getNote());
        request.setAuthoredOnElement(original.getAuthoredOnElement());
        request.setOccurrence(original.getOccurrence());
        if (patient != null) {
            request.setSubject(new Reference(patient));
        }
        request.setRequester(new Reference(requester)).addPerformer(new Reference(owner));
        request.setSupportingInfo(supporting);
        String serviceRequest = add(transaction, request, original);

        Task task = new Task();
        Task source = referral.task();
        task.addIdentifier(ours(source));
        task.setStatus(Task.TaskStatus.REQUESTED).setIntent(source.getIntent()).setPriority(source.getPriority());
        task.setCode(source.getCode()).setDescription(source.getDescription());
        task.setAuthoredOnElement(source.getAuthoredOnElement());
        task.setFocus(new Reference(serviceRequest));
        if (patient != null) {
            task.setFor(new Reference(patient));
        }
        task.setRequester(new Reference(requester)).setOwner(new Reference(owner));
        add(transaction, task, source);
        return new PartnerBundle(transaction, identified, observations, leftOut);
    }

    /** Our identifier of a resource of ours: {@code <sender system>|Task/123}. */
    Identifier ours(Resource resource) {
        return new Identifier().setSystem(senderSystem).setValue(resource.getIdElement().toUnqualifiedVersionless().getValue());
    }

    private Organization organization(Organization source) {
        Organization copy = new Organization();
        copy.setIdElement(source.getIdElement().toUnqualifiedVersionless());
        copy.setIdentifier(new ArrayList<>(source.getIdentifier().stream().map(Identifier::copy).toList()));
        if (!copy.hasIdentifier()) {
            copy.addIdentifier(ours(source));
        }
        copy.setActive(source.getActive()).setName(source.getName()).setAlias(source.getAlias());
        copy.setType(source.getType()).setTelecom(source.getTelecom()).setAddress(source.getAddress());
        return copy;
    }

    private Patient patient(Patient source, boolean identified) {
        Patient copy = new Patient();
        copy.setIdElement(source.getIdElement().toUnqualifiedVersionless());
        copy.setGender(source.getGender());
        if (identified) {
            copy.setIdentifier(new ArrayList<>(source.getIdentifier().stream().map(Identifier::copy).toList()));
            copy.setName(source.getName()).setBirthDateElement(source.getBirthDateElement());
        } else if (source.hasBirthDate()) {
            copy.setBirthDateElement(new DateType(source.getBirthDateElement().getYear().toString()));
        }
        copy.getIdentifier().add(0, new Identifier().setSystem(pseudonyms.system()).setValue(pseudonyms.of(source)));
        return copy;
    }

    private static Observation observation(Observation source, String patient) {
        Observation copy = new Observation();
        copy.setIdElement(source.getIdElement().toUnqualifiedVersionless());
        copy.setStatus(source.getStatus()).setCategory(source.getCategory()).setCode(source.getCode());
        copy.setValue(source.getValue()).setInterpretation(source.getInterpretation());
        copy.setComponent(source.getComponent()).setEffective(source.getEffective()).setIssuedElement(source.getIssuedElement());
        copy.setMethod(source.getMethod()).setBodySite(source.getBodySite());
        if (patient != null) {
            copy.setSubject(new Reference(patient));
        }
        return copy;
    }

    private static Consent consent(Consent source, String patient) {
        Consent copy = new Consent();
        copy.setIdElement(source.getIdElement().toUnqualifiedVersionless());
        copy.setStatus(source.getStatus()).setScope(source.getScope()).setCategory(source.getCategory());
        copy.setDateTimeElement(source.getDateTimeElement()).setPolicyRule(source.getPolicyRule());
        Consent.ProvisionComponent provision = new Consent.ProvisionComponent();
        provision.setType(source.getProvision().getType()).setPeriod(source.getProvision().getPeriod())
                .setAction(source.getProvision().getAction());
        copy.setProvision(provision);
        if (patient != null) {
            copy.setPatient(new Reference(patient));
        }
        return copy;
    }

    private String add(Bundle transaction, Resource copy) {
        return add(transaction, copy, copy);
    }

    /** Adds a conditional create of {@code copy}, identified by {@code source}'s identity (ours, or its own). */
    private String add(Bundle transaction, Resource copy, Resource source) {
        String fullUrl = "urn:uuid:" + UUID.randomUUID();
        Identifier key = matchKey(copy, source);
        copy.setId((String) null);
        transaction.addEntry().setFullUrl(fullUrl).setResource(copy).getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl(copy.fhirType())
                .setIfNoneExist("identifier=" + escape(key.getSystem()) + "|" + escape(key.getValue()));
        return fullUrl;
    }

    /**
     * What a copy is matched on at the partner: an organization on its own first identifier (a 医療機関コード names
     * the same hospital everywhere), the patient on its pseudonym, everything else on our identifier, added here.
     */
    private Identifier matchKey(Resource copy, Resource source) {
        if (copy instanceof Organization organization) {
            return organization.getIdentifierFirstRep();
        }
        if (copy instanceof Patient patient) {
            return patient.getIdentifierFirstRep();
        }
        Identifier ours = ours(source);
        if (copy instanceof Observation observation) {
            observation.addIdentifier(ours);
        } else if (copy instanceof Consent consent) {
            consent.addIdentifier(ours);
        } else if (copy instanceof Bundle document) {
            if (!document.hasIdentifier()) {
                document.setIdentifier(ours);
            }
            return document.getIdentifier();
        } // a ServiceRequest and a Task carry it already
        return ours;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    }

    /** The consent (if any) that lets this referral name its patient to the partner. */
    static final class ConsentToDisclose {

        private ConsentToDisclose() {
        }

        /**
         * True when the referral's supportingInfo holds an active, permitting Consent of its patient whose provision
         * lists the action {@code disclose}: the patient agreed that who they are may leave for the partner.
         */
        static boolean allows(ReferralPackage referral) {
            String patient = referral.patient() == null ? null
                    : "Patient/" + referral.patient().getIdElement().getIdPart();
            return referral.supportingInfo().stream()
                    .filter(Consent.class::isInstance).map(Consent.class::cast)
                    .anyMatch(consent -> consent.getStatus() == Consent.ConsentState.ACTIVE
                            && patient != null && consent.getPatient().getReference() != null
                            && consent.getPatient().getReference().endsWith(patient)
                            && (!consent.getProvision().hasType()
                                    || consent.getProvision().getType() == Consent.ConsentProvisionType.PERMIT)
                            && consent.getProvision().getAction().stream().map(CodeableConcept::getCoding)
                                    .flatMap(List::stream)
                                    .anyMatch(ConsentToDisclose::isDisclose));
        }

        private static boolean isDisclose(Coding coding) {
            return CONSENT_ACTION.equals(coding.getSystem()) && "disclose".equals(coding.getCode());
        }
    }
}
