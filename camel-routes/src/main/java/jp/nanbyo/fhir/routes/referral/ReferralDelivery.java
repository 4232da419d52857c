package jp.nanbyo.fhir.routes.referral;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Action;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import jp.nanbyo.fhir.routes.referral.ReferralToPartnerBundleMapper.PartnerBundle;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one outbox entry: read the referral from our server, send it to the partner (or, for a cancellation,
 * cancel the partner's copy), and record the outcome in the outbox and on the referral's Task. Never throws: whatever
 * happens ends as delivered, skipped, retried later (back-off) or dead-lettered. Logs and counts ids, kinds and
 * partners, never the referral's content.
 */
class ReferralDelivery {

    private static final Logger log = LoggerFactory.getLogger(ReferralDelivery.class);
    private static final Runnable NOTHING_LEFT = () -> { };

    private final ReferralExchangeProperties properties;
    private final ReferralOutbox outbox;
    private final ReferralPackageReader reader;
    private final ReferralToPartnerBundleMapper mapper;
    private final FhirPartnerClient fhirPartner;
    private final PartnerCancellation cancellation;
    private final MatchmakerSender matchmaker;
    private final DeliveryStatusRecorder recorder;
    private final MeterRegistry metrics;

    ReferralDelivery(ReferralExchangeProperties properties, ReferralOutbox outbox, ReferralPackageReader reader,
            ReferralToPartnerBundleMapper mapper, FhirPartnerClient fhirPartner, MatchmakerSender matchmaker,
            DeliveryStatusRecorder recorder, MeterRegistry metrics) {
        this.properties = properties;
        this.outbox = outbox;
        this.reader = reader;
        this.mapper = mapper;
        this.fhirPartner = fhirPartner;
        this.cancellation = new PartnerCancellation(fhirPartner);
        this.matchmaker = matchmaker;
        this.recorder = recorder;
        this.metrics = metrics;
    }

    /**
     * The attempt, up to the outcome recorded in the outbox. What is left to do answers: showing a delivery on the
     * Task, which concerns our own server only, so the caller can free the partner's slot first (a write to our server
     * under load takes as long as the delivery itself: holding the slot through it made 8 slots the limit at about 40
     * referrals a second).
     */
    Runnable deliver(Entry entry) {
        long start = System.nanoTime();
        Tags tags = Tags.of("partner", entry.partner(), "kind", entry.kind().code, "action", entry.action().code);
        try {
            if (entry.action() == Action.CANCEL) {
                cancel(entry, tags);
                return NOTHING_LEFT;
            }
            Optional<ReferralPackage> found = reader.read(entry.taskId(), entry.endpointId());
            if (found.isEmpty()) {
                finishSkipped(entry, tags, "Task/" + entry.taskId() + " no longer exists");
                return NOTHING_LEFT;
            }
            ReferralPackage referral = found.get();
            if (referral.task().getStatus() != Task.TaskStatus.REQUESTED) {
                finishSkipped(entry, tags, "the referral is " + referral.task().getStatus().toCode() + " already");
                return NOTHING_LEFT;
            }
            List<Task.TaskOutputComponent> outputs = List.of();
            switch (entry.kind()) {
                case FHIR_REST -> {
                    PartnerBundle bundle = mapper.map(referral);
                    fhirPartner.send(referral.endpoint().getAddress(), bundle.transaction(),
                            properties.authTokenFor(referral.endpoint().getAddress()));
                    log.info("Referral exchange: Task/{} delivered to {} (outbox {}, attempt {}): {} entries, patient {},"
                                    + " {} observations, {} supporting resources left out", entry.taskId(), entry.partner(),
                            entry.id(), entry.attempts(), bundle.transaction().getEntry().size(),
                            bundle.identified() ? "identified (consent to disclose)" : "pseudonymous", bundle.observations(),
                            bundle.leftOut());
                }
                case MATCHMAKER -> {
                    Optional<List<Task.TaskOutputComponent>> matches = matchmaker.match(referral);
                    if (matches.isEmpty()) {
                        finishSkipped(entry, tags, "no HPO-coded phenotype or genomic finding to match");
                        return NOTHING_LEFT;
                    }
                    outputs = matches.get();
                    log.info("Referral exchange: Task/{} matched at {} (outbox {}, attempt {}): {} outputs", entry.taskId(),
                            entry.partner(), entry.id(), entry.attempts(), outputs.size());
                }
            }
            finishDelivered(entry, tags);
            List<Task.TaskOutputComponent> results = outputs;
            return () -> showDelivered(entry, referral.task(), results);
        } catch (DeliveryFailure failure) {
            failed(entry, tags, failure.permanent(), failure.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outbox.retryLater(entry.id(), Instant.now(), "interrupted (shutting down)");
        } catch (RuntimeException e) {
            // Our own server unreachable or failing, or a referral we cannot read: may pass, so retried with back-off.
            failed(entry, tags, false, "reading or recording the referral failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        } finally {
            metrics.timer("nanbyo.referral.exchange.attempt.duration", tags).record(Duration.ofNanos(System.nanoTime() - start));
        }
        return NOTHING_LEFT;
    }

    /**
     * The delivery state (and a Matchmaker Exchange node's matches) on the Task. The partner has the referral already,
     * so a failure here is logged, not counted as a failed delivery (nor retried: the outbox entry is finished).
     */
    private void showDelivered(Entry entry, Task asRead, List<Task.TaskOutputComponent> outputs) {
        try {
            recorder.record(entry.taskId(), asRead, null, outputs);
        } catch (RuntimeException e) {
            log.warn("Referral exchange: Task/{} delivered to {} (outbox {}), but the Task could not show it: {}", entry.taskId(),
                    entry.partner(), entry.id(), e.getMessage());
        }
    }

    /**
     * Cancels the partner's copy, once the referral's delivery to that partner has finished: while the delivery is
     * pending (waiting for a retry, or under way with the referral read before it was cancelled) the partner may
     * still receive it, so the cancellation waits, without counting that as an attempt.
     */
    private void cancel(Entry entry, Tags tags) throws DeliveryFailure, InterruptedException {
        Optional<Entry> delivery = outbox.find(entry.taskId(), entry.endpointId(), Action.DELIVER);
        if (delivery.isPresent() && delivery.get().state() == ReferralOutbox.State.PENDING) {
            outbox.postpone(entry.id(), Instant.now().plus(properties.retryDelay(1)), "waits for the delivery (outbox "
                    + delivery.get().id() + ") to finish");
            return;
        }
        if (delivery.isEmpty() || delivery.get().state() == ReferralOutbox.State.SKIPPED) {
            finishSkipped(entry, tags, "the referral was never sent to this partner");
            return;
        }
        Optional<ReferralPackageReader.TaskAndEndpoint> found = reader.readTask(entry.taskId(), entry.endpointId());
        if (found.isEmpty()) {
            finishSkipped(entry, tags, "Task/" + entry.taskId() + " no longer exists");
            return;
        }
        Task task = found.get().task();
        String address = found.get().endpoint().getAddress();
        PartnerCancellation.Outcome outcome = cancellation.cancel(address, mapper.ours(task), task.getStatusReason(),
                properties.authTokenFor(address));
        if (!outcome.cancelled()) {
            finishSkipped(entry, tags, outcome.why());
            return;
        }
        finishDelivered(entry, tags);
        log.info("Referral exchange: cancellation of Task/{} delivered to {} (outbox {}, attempt {})", entry.taskId(),
                entry.partner(), entry.id(), entry.attempts());
    }

    /** The partner has it: recorded in the outbox, counted, and timed from queueing to receipt. */
    private void finishDelivered(Entry entry, Tags tags) {
        outbox.delivered(entry.id());
        metrics.counter("nanbyo.referral.exchange.sent", tags).increment();
        metrics.timer("nanbyo.referral.exchange.latency", tags).record(Duration.between(entry.createdAt(), Instant.now()));
    }

    private void failed(Entry entry, Tags tags, boolean permanent, String why) {
        if (permanent || entry.attempts() >= properties.maximumAttempts()) {
            String reason = (permanent ? "refused: " : "gave up after " + entry.attempts() + " attempts: ") + why;
            outbox.deadLettered(entry.id(), reason);
            metrics.counter("nanbyo.referral.exchange.dead_lettered", tags).increment();
            log.error("Referral exchange: Task/{} to {} dead-lettered (outbox {}): {}", entry.taskId(), entry.partner(),
                    entry.id(), reason);
            try {
                recorder.record(entry.taskId(), "送達失敗 (delivery failed) → " + entry.partner() + ": " + reason
                        + " 運用者が原因を直して再送します (an operator replays it once the cause is fixed; outbox " + entry.id()
                        + ")", List.of());
            } catch (RuntimeException e) {
                log.warn("Referral exchange: Task/{}: the failure could not be shown on the Task: {}", entry.taskId(), e.getMessage());
            }
            return;
        }
        Duration delay = properties.retryDelay(entry.attempts());
        outbox.retryLater(entry.id(), Instant.now().plus(delay), why);
        metrics.counter("nanbyo.referral.exchange.retried", tags).increment();
        log.warn("Referral exchange: Task/{} to {} not delivered (outbox {}, attempt {} of {}), next in {} ms: {}", entry.taskId(),
                entry.partner(), entry.id(), entry.attempts(), properties.maximumAttempts(), delay.toMillis(), why);
    }

    private void finishSkipped(Entry entry, Tags tags, String why) {
        outbox.skipped(entry.id(), why);
        metrics.counter("nanbyo.referral.exchange.skipped", tags).increment();
        log.info("Referral exchange: Task/{} to {} skipped (outbox {}): {}", entry.taskId(), entry.partner(), entry.id(), why);
        recorder.record(entry.taskId(), null, List.of());
    }
}
