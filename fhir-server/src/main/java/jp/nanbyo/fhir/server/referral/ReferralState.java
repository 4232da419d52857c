package jp.nanbyo.fhir.server.referral;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * The states of a referral's Task (docs/referrals.md): each is one businessStatus code of
 * nanbyo-referral-business-status with the Task.status it goes with. A new referral is {@link #REQUESTED}: status
 * {@code requested} and no businessStatus yet. A referral to an external partner stays {@link #REQUESTED} while the
 * server delivers it: its businessStatus then says how far delivery got ({@link #DELIVERY_STATUSES}).
 */
enum ReferralState {
    REQUESTED(TaskStatus.REQUESTED, null, "依頼済"),
    RECEIVED(TaskStatus.RECEIVED, "received", "受付"),
    ACCEPTED(TaskStatus.ACCEPTED, "accepted", "受諾"),
    DECLINED(TaskStatus.REJECTED, "declined", "辞退"),
    SCHEDULED(TaskStatus.ACCEPTED, "scheduled", "予約済"),
    IN_PROGRESS(TaskStatus.INPROGRESS, "in-progress", "対応中"),
    COMPLETED(TaskStatus.COMPLETED, "completed", "完了"),
    CANCELLED(TaskStatus.CANCELLED, "cancelled", "取消");

    static final String BUSINESS_STATUS_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-referral-business-status");

    /** businessStatus codes of a {@link #REQUESTED} referral on its way to an external partner (set by the server). */
    static final Set<String> DELIVERY_STATUSES = Set.of("delivery-pending", "delivered", "delivery-failed");

    private final TaskStatus taskStatus;
    private final String businessStatus;
    private final String japanese;

    ReferralState(TaskStatus taskStatus, String businessStatus, String japanese) {
        this.taskStatus = taskStatus;
        this.businessStatus = businessStatus;
        this.japanese = japanese;
    }

    TaskStatus taskStatus() {
        return taskStatus;
    }

    /** The businessStatus code, or null for {@link #REQUESTED}. */
    String businessStatus() {
        return businessStatus;
    }

    /** How messages name the state: {@code accepted (受諾)}, {@code requested (依頼済)}. */
    String label() {
        return (businessStatus == null ? "requested" : businessStatus) + " (" + japanese + ")";
    }

    /** Task.status and businessStatus as a client writes them for this state. */
    String shape() {
        return "status=" + taskStatus.toCode() + (businessStatus == null ? ", no businessStatus" : ", businessStatus=" + businessStatus);
    }

    /** The state a Task is in, or empty when its status and businessStatus are no state of ours. */
    static Optional<ReferralState> of(Task task) {
        String code = task.getBusinessStatus().getCoding().stream()
                .filter(c -> BUSINESS_STATUS_SYSTEM.equals(c.getSystem()))
                .map(c -> c.getCode())
                .findFirst().orElse(null);
        TaskStatus status = task.getStatus();
        if (status == TaskStatus.REQUESTED && code != null && DELIVERY_STATUSES.contains(code)) {
            return Optional.of(REQUESTED);
        }
        return Arrays.stream(values())
                .filter(s -> s.taskStatus == status && java.util.Objects.equals(s.businessStatus, code))
                .findFirst();
    }
}
