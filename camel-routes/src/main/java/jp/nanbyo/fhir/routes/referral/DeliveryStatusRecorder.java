package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;

/**
 * Shows the sender where delivery stands, on the referral's own Task (docs/referrals.md): while the Task is still
 * {@code requested}, its businessStatus becomes {@code delivery-pending}, {@code delivered} or {@code delivery-failed}
 * (with a note saying why), and a partner's results (Matchmaker Exchange matches) are added as output. The delivery
 * state is worked out from the Task's outbox entries at each attempt, and every update is conditional on the version
 * read (If-Match): a partner that moved the Task meanwhile (accepted it, say), or another entry's outcome recorded
 * meanwhile, is never overwritten; the change is worked out again on the new version.
 */
final class DeliveryStatusRecorder {

    static final String BUSINESS_STATUS = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-business-status");
    private static final int ATTEMPTS = 5;

    /** A delivery state shown on the Task, from the outbox entries of that Task. */
    enum Shown {
        PENDING("delivery-pending", "送達待ち"),
        DELIVERED("delivered", "送達済"),
        FAILED("delivery-failed", "送達失敗");

        final String code;
        final String display;

        Shown(String code, String display) {
            this.code = code;
            this.display = display;
        }

        /** From the deliveries among a Task's entries (its cancellations do not show: the Task is final by then). */
        static Shown of(List<ReferralOutbox.Entry> all) {
            List<ReferralOutbox.Entry> entries = all.stream().filter(e -> e.action() == ReferralOutbox.Action.DELIVER).toList();
            if (entries.stream().anyMatch(e -> e.state() == ReferralOutbox.State.DEAD)) {
                return FAILED;
            }
            if (entries.stream().anyMatch(e -> e.state() == ReferralOutbox.State.PENDING)) {
                return PENDING;
            }
            return DELIVERED;
        }
    }

    private final Supplier<IGenericClient> server;
    private final ReferralOutbox outbox;

    DeliveryStatusRecorder(Supplier<IGenericClient> server, ReferralOutbox outbox) {
        this.server = server;
        this.outbox = outbox;
    }

    /**
     * Sets the Task's delivery state (while it is {@code requested}) from its outbox entries as they stand, adds a note
     * (if any) and outputs (unless the Task is final). Does nothing when nothing would change.
     */
    void record(String taskId, String note, List<Task.TaskOutputComponent> outputs) {
        record(taskId, null, note, outputs);
    }

    /** The same, starting from the Task as the delivery read it (one read fewer when nobody wrote it since). */
    void record(String taskId, Task asRead, String note, List<Task.TaskOutputComponent> outputs) {
        for (int attempt = 1; ; attempt++) {
            Shown shown = Shown.of(outbox.forTask(taskId));
            Task task;
            if (attempt == 1 && asRead != null) {
                task = asRead.copy();
            } else {
                try {
                    task = server.get().read().resource(Task.class).withId(taskId)
                            .cacheControl(new CacheControlDirective().setNoCache(true).setNoStore(true)).execute();
                } catch (ResourceNotFoundException gone) {
                    return;
                }
            }
            if (!change(task, shown, note, outputs)) {
                return;
            }
            try {
                // Nothing of the answer is used: the server need not encode the Task back (nor we parse it).
                server.get().update().resource(task).withId(task.getIdElement().toUnqualifiedVersionless())
                        .withAdditionalHeader("If-Match", "W/\"" + task.getMeta().getVersionId() + "\"")
                        .prefer(PreferReturnEnum.MINIMAL).execute();
                return;
            } catch (ResourceVersionConflictException | PreconditionFailedException movedMeanwhile) {
                if (attempt == ATTEMPTS) {
                    throw movedMeanwhile;
                }
            }
        }
    }

    private static boolean change(Task task, Shown shown, String note, List<Task.TaskOutputComponent> outputs) {
        boolean changed = false;
        boolean requested = task.getStatus() == Task.TaskStatus.REQUESTED;
        if (requested && !shown.code.equals(businessStatus(task))) {
            task.setBusinessStatus(new CodeableConcept(new Coding(BUSINESS_STATUS, shown.code, shown.display)));
            changed = true;
        }
        boolean open = requested || task.getStatus() == Task.TaskStatus.RECEIVED || task.getStatus() == Task.TaskStatus.ACCEPTED
                || task.getStatus() == Task.TaskStatus.INPROGRESS;
        if (note != null && open) {
            task.addNote(new Annotation().setText(note).setTime(new Date()));
            changed = true;
        }
        if (!outputs.isEmpty() && open) {
            outputs.forEach(output -> task.addOutput(output.copy()));
            changed = true;
        }
        return changed;
    }

    private static String businessStatus(Task task) {
        return task.getBusinessStatus().getCoding().stream().filter(c -> BUSINESS_STATUS.equals(c.getSystem()))
                .map(Coding::getCode).findFirst().orElse(null);
    }
}
