package jp.nanbyo.fhir.routes.referral;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import jp.nanbyo.fhir.routes.matchmaker.MatchRequestMapper;
import jp.nanbyo.fhir.routes.matchmaker.MatchRequestMapper.Contact;
import jp.nanbyo.fhir.routes.matchmaker.MatchResponse;
import jp.nanbyo.fhir.routes.matchmaker.MatchesToTaskOutputMapper;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerClient;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerException;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Task;

/**
 * A referral to a Matchmaker Exchange node (IRUD Exchange): its HPO-coded observations and genomic findings as a
 * {@code /match} request under the patient's pseudonym, the node's matches as Task outputs. The contact the other
 * node's clinicians reach is the referring organization (its e-mail or web address, else {@code contact-href}).
 */
final class MatchmakerSender {

    private final ReferralExchangeProperties properties;
    private final MatchmakerClient client;
    private final Pseudonyms pseudonyms;
    private final MatchRequestMapper requests = new MatchRequestMapper();
    private final MatchesToTaskOutputMapper outputs = new MatchesToTaskOutputMapper();

    MatchmakerSender(ReferralExchangeProperties properties, SSLContext sslContext, Pseudonyms pseudonyms) {
        this.properties = properties;
        this.client = new MatchmakerClient(properties.connectTimeout(), properties.readTimeout(), sslContext);
        this.pseudonyms = pseudonyms;
    }

    /** The matches as outputs (one saying "no match" when there is none), or empty when there is nothing to match. */
    Optional<List<Task.TaskOutputComponent>> match(ReferralPackage referral) throws DeliveryFailure {
        if (referral.patient() == null) {
            return Optional.empty();
        }
        List<Observation> observations = referral.supportingInfo().stream()
                .filter(Observation.class::isInstance).map(Observation.class::cast).toList();
        Optional<ObjectNode> request = requests.toMatchRequest(pseudonyms.of(referral.patient()), contact(referral.requester()),
                referral.patient().getGender(), observations);
        if (request.isEmpty()) {
            return Optional.empty();
        }
        String address = referral.endpoint().getAddress();
        try {
            MatchResponse response = client.match(URI.create(address), properties.authTokenFor(address).orElse(null), request.get());
            return Optional.of(outputs.toOutputs(nodeName(referral), response));
        } catch (MatchmakerException e) {
            String why = "Matchmaker Exchange " + e.kind().name().toLowerCase().replace('_', ' ')
                    + (e.httpStatus() == MatchmakerException.NO_STATUS ? "" : " (HTTP " + e.httpStatus() + ")") + ": " + e.getMessage();
            throw e.retryable() ? DeliveryFailure.temporary(why, e) : DeliveryFailure.permanent(why);
        }
    }

    private Contact contact(Organization requester) throws DeliveryFailure {
        String href = requester.getTelecom().stream()
                .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.EMAIL && t.hasValue())
                .map(t -> "mailto:" + t.getValue()).findFirst()
                .or(() -> requester.getTelecom().stream()
                        .filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.URL && t.hasValue()
                                && t.getValue().matches("(?i)https?://.+"))
                        .map(ContactPoint::getValue).findFirst())
                .orElse(properties.contactHref());
        if (href == null || href.isBlank()) {
            throw DeliveryFailure.permanent("the referring organization has no e-mail or web address for the Matchmaker"
                    + " Exchange contact, and nanbyo.referral-exchange.contact-href is not set");
        }
        return new Contact(requester.getName(), requester.getName(), href);
    }

    private static String nodeName(ReferralPackage referral) {
        return referral.endpoint().hasName() ? referral.endpoint().getName() : referral.owner().getName();
    }
}
