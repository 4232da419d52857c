package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import java.util.Optional;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Kind;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Task;

/**
 * Queues a new referral for an external partner in the outbox (docs/integration/referral-exchange.md), in the same
 * database transaction as the Task: a referral stored is a referral queued, and a write that fails queues nothing.
 * An external partner is a national body (IRUD, a national registry: nanbyo-organization-type {@code national-body})
 * that publishes an active FHIR REST or Matchmaker Exchange Endpoint in the directory; the other members of the
 * network use this server directly. Such a Task starts with businessStatus {@code delivery-pending}. When the
 * requester cancels it, the cancellation is queued the same way for every FHIR REST partner that has (or may yet
 * get) the referral.
 */
@Interceptor
class ReferralOutboxInterceptor {

    /** After the state machine has accepted the new Task (-50), before profile validation (0) sees its businessStatus. */
    static final int AFTER_WORKFLOW = -40;

    static final String ORGANIZATION_TYPE = NanbyoCanonical.url("CodeSystem", "nanbyo-organization-type");
    static final String HL7_CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
    static final String NANBYO_CONNECTION_TYPE = NanbyoCanonical.url("CodeSystem", "nanbyo-endpoint-connection-type");

    private final ReferralReader reader;
    private final ReferralOutbox outbox;
    private final PartnerEndpointsMemory memory;

    ReferralOutboxInterceptor(ReferralReader reader, ReferralOutbox outbox, PartnerEndpointsMemory memory) {
        this.reader = reader;
        this.outbox = outbox;
        this.memory = memory;
    }

    /** A partner's Endpoint and what it speaks. */
    record PartnerEndpoint(String endpointId, Kind kind, String partner) {
    }

    /** Where the partner Endpoints found before storage wait for the pre-commit hook (the same Task object). */
    private static final String PARTNERS = ReferralOutboxInterceptor.class.getName() + ".partners";

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = AFTER_WORKFLOW)
    void marksDeliveryPending(IBaseResource resource) {
        if (resource instanceof Task task) {
            List<PartnerEndpoint> partners = partnerEndpoints(task);
            if (!partners.isEmpty()) {
                task.setBusinessStatus(new CodeableConcept(new Coding(ReferralState.BUSINESS_STATUS_SYSTEM, "delivery-pending", "送達待ち")));
                task.setUserData(PARTNERS, partners);
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    @SuppressWarnings("unchecked")
    void queues(IBaseResource resource) {
        if (resource instanceof Task task && isDeliveryPending(task)) {
            Object found = task.getUserData(PARTNERS);
            for (PartnerEndpoint endpoint : found instanceof List<?> partners ? (List<PartnerEndpoint>) partners : partnerEndpoints(task)) {
                outbox.enqueue(task.getIdElement().getIdPart(), endpoint.endpointId(), endpoint.kind(), endpoint.partner());
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    void queuesCancellation(IBaseResource oldResource, IBaseResource newResource) {
        if (newResource instanceof Task task && task.getStatus() == Task.TaskStatus.CANCELLED
                && oldResource instanceof Task before && before.getStatus() != Task.TaskStatus.CANCELLED) {
            outbox.enqueueCancellations(task.getIdElement().getIdPart());
        }
    }

    /** The active FHIR REST and Matchmaker Exchange Endpoints of the Task's owner, if the owner is a national body. */
    List<PartnerEndpoint> partnerEndpoints(Task task) {
        return memory.of(ActingOrganization.of(task.getOwner()), this::partnerEndpointsOf);
    }

    private List<PartnerEndpoint> partnerEndpointsOf(String ownerReference) {
        Organization owner = reader.read(Organization.class, ownerReference).orElse(null);
        if (owner == null || owner.getType().stream().flatMap(type -> type.getCoding().stream())
                .noneMatch(c -> ORGANIZATION_TYPE.equals(c.getSystem()) && "national-body".equals(c.getCode()))) {
            return List.of();
        }
        return reader.activeEndpointsOf("Organization/" + owner.getIdElement().getIdPart()).stream()
                .flatMap(endpoint -> kindOf(endpoint).stream()
                        .map(kind -> new PartnerEndpoint(endpoint.getIdElement().getIdPart(), kind, owner.getName())))
                .toList();
    }

    private static boolean isDeliveryPending(Task task) {
        return task.getBusinessStatus().getCoding().stream()
                .anyMatch(c -> ReferralState.BUSINESS_STATUS_SYSTEM.equals(c.getSystem()) && "delivery-pending".equals(c.getCode()));
    }

    /** What an Endpoint speaks, if it is a kind the exchange delivers to. */
    private static Optional<Kind> kindOf(Endpoint endpoint) {
        Coding type = endpoint.getConnectionType();
        if (HL7_CONNECTION_TYPE.equals(type.getSystem()) && "hl7-fhir-rest".equals(type.getCode())) {
            return Optional.of(Kind.FHIR_REST);
        }
        if (NANBYO_CONNECTION_TYPE.equals(type.getSystem()) && "matchmaker-exchange".equals(type.getCode())) {
            return Optional.of(Kind.MATCHMAKER);
        }
        return Optional.empty();
    }
}
