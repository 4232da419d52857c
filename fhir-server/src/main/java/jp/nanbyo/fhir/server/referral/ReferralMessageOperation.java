package jp.nanbyo.fhir.server.referral;

import static jp.nanbyo.fhir.server.referral.Outcomes.unprocessable;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code POST [base]/$process-message}: a partner's update of a referral it received from us, as a FHIR message
 * (docs/integration/referral-exchange.md, "Inbound updates"). The message is a Bundle {@code type=message}: a
 * MessageHeader with {@code eventUri} {@value #EVENT}, {@code sender} the partner (an {@code Organization/<id>} here,
 * or its identifier), {@code focus} the Task; and the Task as the partner holds it, carrying our identifier of it
 * (what we sent: {@code http://nanbyo.jp/fhir/sid/referral-exchange/<node-id>|Task/<id>}). Its status, businessStatus
 * and statusReason, and any output and note not yet on our Task, are applied to our Task as the sender: the same
 * state machine as a REST update decides (an illegal move is refused with an OperationOutcome), the requester is
 * notified by the referral topic, and the same message twice changes nothing. Answers a response message ({@code ok}).
 */
class ReferralMessageOperation {

    static final String EVENT = "http://nanbyo.jp/fhir/message-event/referral-task-update";
    static final String SENT_SYSTEM_PREFIX = "http://nanbyo.jp/fhir/sid/referral-exchange/";

    private final DaoRegistry daos;
    private final ReferralReader reader;

    ReferralMessageOperation(DaoRegistry daos, ReferralReader reader) {
        this.daos = daos;
        this.reader = reader;
    }

    @Operation(name = "$process-message", idempotent = false)
    public Bundle processMessage(@OperationParam(name = "content", min = 1, max = 1) Bundle message, RequestDetails request) {
        MessageHeader header = header(message);
        String sender = sender(header);
        Task update = focus(message, header);
        Task ours = ourTask(update);

        String acting = ActingOrganization.of(request).orElse(null);
        if (acting != null && !acting.equals(sender)) {
            throw Outcomes.forbidden("MessageHeader.sender",
                    "MessageHeader.sender (" + sender + ") とヘッダー " + ActingOrganization.HEADER + " (" + acting + ") が異なります",
                    "MessageHeader.sender (" + sender + ") and the header " + ActingOrganization.HEADER + " (" + acting + ") disagree");
        }
        request.setHeaders(ActingOrganization.HEADER, List.of(sender));

        ours.setStatus(update.getStatus());
        ours.setBusinessStatus(update.hasBusinessStatus() ? update.getBusinessStatus() : null);
        ours.setStatusReason(update.hasStatusReason() ? update.getStatusReason() : null);
        for (Task.TaskOutputComponent output : update.getOutput()) {
            if (ours.getOutput().stream().noneMatch(held -> held.equalsDeep(output))) {
                ours.addOutput(output.copy());
            }
        }
        update.getNote().stream().filter(note -> ours.getNote().stream().noneMatch(held -> held.equalsDeep(note)))
                .forEach(note -> ours.addNote(note.copy()));
        ours.setId(ours.getIdElement().toUnqualifiedVersionless());
        daos.getResourceDao(Task.class).update(ours, request);
        return response(header, sender);
    }

    private static MessageHeader header(Bundle message) {
        if (message.getType() != Bundle.BundleType.MESSAGE || message.getEntry().isEmpty()
                || !(message.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
            throw unprocessable(IssueType.STRUCTURE, "Bundle",
                    "type=message の Bundle で、最初のエントリーが MessageHeader のものを送ってください",
                    "send a Bundle of type message whose first entry is a MessageHeader");
        }
        if (!header.hasEventUriType() || !EVENT.equals(header.getEventUriType().getValue())) {
            throw unprocessable(IssueType.NOTSUPPORTED, "MessageHeader.event",
                    "このサーバーが処理するメッセージは " + EVENT + " (紹介の Task の更新) だけです",
                    "the only message this server processes is " + EVENT + " (a referral Task update)");
        }
        return header;
    }

    /** The sender as {@code Organization/<id>} here: given so, or by an identifier that names one Organization. */
    private String sender(MessageHeader header) {
        Reference sender = header.getSender();
        String reference = ActingOrganization.of(sender);
        if (ActingOrganization.isOrganization(reference) && reader.read(Organization.class, reference).isPresent()) {
            return reference;
        }
        Identifier identifier = sender.getIdentifier();
        if (reference == null && identifier.hasSystem() && identifier.hasValue()) {
            SearchParameterMap map = SearchParameterMap.newSynchronous(Organization.SP_IDENTIFIER,
                    new TokenParam(identifier.getSystem(), identifier.getValue()));
            List<String> found = daos.getResourceDao(Organization.class).search(map, new SystemRequestDetails()).getAllResources()
                    .stream().map(o -> "Organization/" + o.getIdElement().getIdPart()).toList();
            if (found.size() == 1) {
                return found.get(0);
            }
        }
        throw unprocessable(IssueType.NOTFOUND, "MessageHeader.sender",
                "MessageHeader.sender がこのサーバーの組織 1 つ (Organization/<id> または identifier) を示していません",
                "MessageHeader.sender names no single Organization of this server (Organization/<id> or an identifier)");
    }

    private static Task focus(Bundle message, MessageHeader header) {
        List<Task> tasks = message.getEntry().stream().map(BundleEntryComponent::getResource)
                .filter(Task.class::isInstance).map(Task.class::cast).toList();
        String focus = header.getFocusFirstRep().getReference();
        return message.getEntry().stream()
                .filter(entry -> entry.getResource() instanceof Task && focus != null
                        && (focus.equals(entry.getFullUrl()) || focus.equals(entry.getResource().getIdElement().toUnqualifiedVersionless().getValue())))
                .map(entry -> (Task) entry.getResource())
                .findFirst()
                .or(() -> tasks.size() == 1 ? java.util.Optional.of(tasks.get(0)) : java.util.Optional.empty())
                .orElseThrow(() -> unprocessable(IssueType.REQUIRED, "MessageHeader.focus",
                        "MessageHeader.focus で、更新する Task をメッセージ内に示してください",
                        "MessageHeader.focus must name the Task, carried in the message"));
    }

    /** Our Task the update is about: named by our identifier of it (what we sent). */
    private Task ourTask(Task update) {
        String ours = update.getIdentifier().stream()
                .filter(identifier -> identifier.hasSystem() && identifier.getSystem().startsWith(SENT_SYSTEM_PREFIX))
                .map(Identifier::getValue)
                .filter(Objects::nonNull)
                .filter(value -> value.matches("Task/[A-Za-z0-9\\-.]{1,64}"))
                .findFirst().orElse(null);
        return reader.read(Task.class, ours).orElseThrow(() -> unprocessable(IssueType.NOTFOUND, "Task.identifier",
                "Task.identifier にこのサーバーが送った紹介の識別子 (" + SENT_SYSTEM_PREFIX + "<node-id>|Task/<id>) がありません",
                "Task.identifier holds no identifier of a referral this server sent (" + SENT_SYSTEM_PREFIX + "<node-id>|Task/<id>)"));
    }

    private static Bundle response(MessageHeader request, String sender) {
        Bundle answer = new Bundle().setType(Bundle.BundleType.MESSAGE);
        answer.setTimestampElement(InstantType.now());
        MessageHeader header = new MessageHeader();
        header.setId(UUID.randomUUID().toString());
        header.setEvent(request.getEvent());
        header.addDestination().setReceiver(new Reference(sender));
        header.getSource().setName("nanbyo-fhir-server");
        header.getResponse().setCode(MessageHeader.ResponseType.OK);
        if (request.getIdElement().hasIdPart()) {
            header.getResponse().setIdentifier(request.getIdElement().getIdPart());
        }
        answer.addEntry().setFullUrl("urn:uuid:" + header.getId()).setResource(header);
        return answer;
    }
}
