package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/** What the workflow rules read besides the resource being written, through HAPI's DAOs (never over HTTP). */
class ReferralReader {

    static final String ROLE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-designation-role");
    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final EntityManager entityManager;

    ReferralReader(DaoRegistry daos, FhirContext fhirContext, EntityManager entityManager) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.entityManager = entityManager;
    }

    /** The resource a plain {@code Type/id} reference names, if it exists (placeholders and URLs read as absent). */
    <T extends Resource> Optional<T> read(Class<T> type, String reference) {
        if (reference == null || !reference.startsWith(fhirContext.getResourceType(type) + "/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(daos.getResourceDao(type).read(new IdType(reference).toUnqualifiedVersionless(), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    /** Whether a Task has the ServiceRequest {@code ServiceRequest/<id>} as its focus. */
    boolean hasTask(String referral) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(Task.SP_FOCUS, new ReferenceParam(referral));
        map.setLoadSynchronousUpTo(1);
        return !daos.getResourceDao(Task.class).search(map, new SystemRequestDetails()).isEmpty();
    }

    /**
     * Locks the stored row of the ServiceRequest {@code ServiceRequest/<id>} until the writing transaction ends, so that
     * writes which check something about the referral's other resources take turns: a second one waits for the first
     * to commit, then sees what it wrote (PostgreSQL's and H2's read-committed reads see it from the next statement).
     */
    void lockReferral(String referral) {
        String id = referral.substring(referral.indexOf('/') + 1);
        entityManager.createNativeQuery("SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_TYPE = 'ServiceRequest' AND FHIR_ID = ?1 FOR UPDATE")
                .setParameter(1, id)
                .getResultList();
    }

    /**
     * The Tasks, as {@code Task/<id>}, whose focus is the ServiceRequest {@code ServiceRequest/<id>} and whose status is
     * one of {@code statuses}. Ids only: no Task is loaded inside the writing transaction.
     */
    List<String> tasksOf(String referral, Set<Task.TaskStatus> statuses) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(Task.SP_FOCUS, new ReferenceParam(referral));
        TokenOrListParam status = new TokenOrListParam();
        statuses.forEach(s -> status.addOr(new TokenParam(s.toCode())));
        map.add(Task.SP_STATUS, status);
        return daos.getResourceDao(Task.class).searchForResourceIds(map, new SystemRequestDetails()).stream()
                .map(id -> "Task/" + id.getIdPart())
                .toList();
    }

    /** The active Endpoints an organization manages (Endpoint.managingOrganization). */
    List<Endpoint> activeEndpointsOf(String organization) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(Endpoint.SP_ORGANIZATION, new ReferenceParam(organization));
        map.add(Endpoint.SP_STATUS, new TokenParam("active"));
        return daos.getResourceDao(Endpoint.class).search(map, new SystemRequestDetails()).getAllResources().stream()
                .map(Endpoint.class::cast)
                .toList();
    }

    /** The 移行期医療支援センター designated in a prefecture today, as {@code Organization/<id>} references. */
    List<String> transitionSupportCenters(String prefecture) {
        String today = LocalDate.now(JAPAN).toString();
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        ReferenceParam network = new ReferenceParam();
        network.setValueAsQueryToken(fhirContext, null, ".identifier", NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|" + prefecture);
        map.add(OrganizationAffiliation.SP_PRIMARY_ORGANIZATION, network);
        map.add(OrganizationAffiliation.SP_ROLE, new TokenParam(ROLE_SYSTEM, "transition-support-center"));
        map.add(OrganizationAffiliation.SP_ACTIVE, new TokenParam("true"));
        map.add(OrganizationAffiliation.SP_DATE, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, today));
        map.add(OrganizationAffiliation.SP_DATE, new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, today));
        return daos.getResourceDao(OrganizationAffiliation.class).search(map, new SystemRequestDetails())
                .getAllResources().stream()
                .map(OrganizationAffiliation.class::cast)
                .filter(OrganizationAffiliation::hasParticipatingOrganization)
                .map(d -> ActingOrganization.normalise(d.getParticipatingOrganization().getReference()))
                .distinct()
                .toList();
    }
}
