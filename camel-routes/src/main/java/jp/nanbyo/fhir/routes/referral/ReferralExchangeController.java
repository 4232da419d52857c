package jp.nanbyo.fhir.routes.referral;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of the outbox (docs/integration/referral-exchange.md, "Replay"):
 * <ul>
 *   <li>{@code GET /referral-exchange/outbox[?state=dead][&task=123]} ({@code task=Task/123} too): counts per state and the entries (ids,
 *       partner, attempts, last error; never the referral's content);</li>
 *   <li>{@code POST /referral-exchange/outbox/{id}/replay}: a dead-lettered entry is sent again now, its attempts
 *       counted from zero (404 unknown entry, 409 not dead-lettered); the referral's Task shows
 *       {@code delivery-pending} again, with a note, until the delivery ends.</li>
 * </ul>
 */
@RestController
class ReferralExchangeController {

    private static final Logger log = LoggerFactory.getLogger(ReferralExchangeController.class);
    private static final int LISTED = 500;
    /** A FHIR resource id (R4: letters, digits, '-' and '.', at most 64). */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final ReferralOutbox outbox;
    private final DeliveryStatusRecorder recorder;

    ReferralExchangeController(ReferralOutbox outbox, DeliveryStatusRecorder recorder) {
        this.outbox = outbox;
        this.recorder = recorder;
    }

    @GetMapping(path = "/referral-exchange/outbox", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> list(@RequestParam Optional<String> state, @RequestParam Optional<String> task) {
        Optional<State> wanted;
        try {
            wanted = state.map(s -> State.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return JsonAnswers.of(HttpStatus.BAD_REQUEST, JsonAnswers.message("bad-request", "state は pending, delivered, skipped, dead のどれかです。",
                    "state must be one of pending, delivered, skipped, dead.", null));
        }
        // The listing names a Task "Task/123": an operator copies that, so it finds the entries as the bare id does.
        Optional<String> taskId = task.map(t -> t.startsWith("Task/") ? t.substring("Task/".length()) : t);
        if (taskId.isPresent() && !FHIR_ID.matcher(taskId.get()).matches()) {
            return JsonAnswers.of(HttpStatus.BAD_REQUEST, JsonAnswers.message("bad-request",
                    "task の値「" + task.get() + "」を読めません。Task の id (例: 123) か Task/123 を指定してください。",
                    "task: cannot read \"" + task.get() + "\"; give a Task's id (e.g. 123) or Task/123.", null));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("counts", outbox.countsByState());
        answer.put("entries", taskId.map(outbox::forTask).orElseGet(() -> outbox.list(wanted, LISTED)).stream()
                .filter(entry -> wanted.isEmpty() || entry.state() == wanted.get())
                .map(ReferralExchangeController::view).toList());
        return JsonAnswers.of(HttpStatus.OK, answer);
    }

    @PostMapping(path = "/referral-exchange/outbox/{id}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> replay(@PathVariable long id) {
        Optional<ReferralOutbox.Entry> entry = outbox.find(id);
        if (entry.isEmpty()) {
            return JsonAnswers.of(HttpStatus.NOT_FOUND,
                    JsonAnswers.message("not-found", "送信箱に " + id + " はありません。", "No outbox entry " + id + ".", null));
        }
        if (!outbox.replay(id)) {
            ReferralOutbox.State state = entry.get().state();
            return JsonAnswers.of(HttpStatus.CONFLICT, JsonAnswers.message("conflict",
                    "送信箱 " + id + " は " + state.code() + " (" + state.labelJa() + ") のため再送できません。再送できるのは送達失敗 (dead) のエントリだけです。",
                    "Outbox entry " + id + " is " + state.code() + ", not dead-lettered: only a dead-lettered entry is replayed.", null));
        }
        ReferralOutbox.Entry replayed = outbox.find(id).orElseThrow();
        try {
            recorder.record(replayed.taskId(), "再送 (replayed by an operator; outbox " + id + ")", List.of());
        } catch (RuntimeException e) {
            // The replay stands (the delivery will record its outcome); only the Task's interim status is missing.
            log.warn("Referral exchange: Task/{}: the replay of outbox {} could not be shown on the Task: {}", replayed.taskId(), id,
                    e.getMessage());
        }
        return JsonAnswers.of(HttpStatus.OK, view(outbox.find(id).orElseThrow()));
    }

    private static Map<String, Object> view(ReferralOutbox.Entry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", entry.id());
        view.put("task", "Task/" + entry.taskId());
        view.put("endpoint", "Endpoint/" + entry.endpointId());
        view.put("kind", entry.kind().code);
        view.put("action", entry.action().code);
        view.put("partner", entry.partner());
        view.put("state", entry.state().code());
        view.put("attempts", entry.attempts());
        view.put("createdAt", entry.createdAt());
        view.put("nextAttemptAt", entry.state() == State.PENDING ? entry.nextAttemptAt() : null);
        view.put("finishedAt", entry.finishedAt());
        view.put("lastError", entry.lastError());
        return view;
    }
}
