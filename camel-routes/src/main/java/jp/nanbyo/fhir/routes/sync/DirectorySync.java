package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Action;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Unit;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Write;
import jp.nanbyo.fhir.routes.sync.SyncProvenance.Completion;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * One run of the sync of one source: read the watermark from our directory, read the source's
 * history since then (less the overlap), decide ({@link SyncPlanner}) and write, in transactions that
 * each carry their Provenance; the last one also carries the new watermark.
 *
 * <p>Why nothing is applied twice or skipped: the watermark is recorded only with (or after) the last
 * change it covers, so after a crash a run starts from an older watermark; it then reads changes
 * already applied again, and finds their local copies at that source version (no write). A local id
 * is derived, never allocated, so a write repeated after a lost answer updates the same resource.
 *
 * <p>A transaction the server refuses (4xx: a resource that does not conform to our profiles, a
 * deletion of a resource local data still refers to) is split in halves until the refused units are
 * found; they are reported and skipped, the rest is written. A 5xx or an unreachable server ends the
 * run (the route retries it); what was committed stays, the watermark does not move.
 */
final class DirectorySync {

    /** Longest reason kept from the server's diagnostics. */
    private static final int REASON_LENGTH = 500;

    /**
     * The answers that refuse what was sent (bad content, a reference to nothing, a deletion still
     * referred to): worth splitting the transaction to find the refused resource. Any other answer
     * (401, 403, 413, 429, 5xx) says nothing about the resources and ends the run instead.
     */
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 409, 410, 412, 422);

    private final Source source;
    private final SourceDirectory sourceDirectory;
    private final LocalDirectory localDirectory;
    private final SourceToLocalMapper mapper;

    DirectorySync(Source source, FhirContext fhirContext, SourceDirectory sourceDirectory, LocalDirectory localDirectory) {
        this.source = source;
        this.sourceDirectory = sourceDirectory;
        this.localDirectory = localDirectory;
        this.mapper = new SourceToLocalMapper(fhirContext, source.id(), source.base());
    }

    /** @param full read the whole history and write every resource again (a resync) */
    SyncReport run(boolean full) {
        long started = System.nanoTime();
        Instant previous = full ? null : localDirectory.watermark(SyncProvenance.deviceReference(source.id())).orElse(null);
        Instant since = previous == null ? null : previous.minus(source.overlap());
        SourceDirectory.History history = sourceDirectory.readHistory(source.types(), since, source.pageSize());
        HistoryToChangesMapper.Result changes = HistoryToChangesMapper.newestPerResource(history.entries());
        SyncPlan plan = new SyncPlanner(mapper, source.id(), source.types(), source.transactionSize(),
                localDirectory, sourceDirectory).plan(changes.changes(), full);

        Run run = new Run();
        plan.rejected().forEach(rejection -> run.rejected.add(new SyncReport.Rejected(rejection.type(), rejection.remoteId(),
                rejection.localId(), rejection.reason())));
        Instant watermark = newWatermark(previous, history.readUpTo());
        boolean newer = changes.changes().stream().anyMatch(change -> change.lastUpdated() != null
                && (previous == null || change.lastUpdated().isAfter(previous)));
        Completion completion = watermark != null && !watermark.equals(previous) && (plan.writes() > 0 || newer)
                ? new Completion(previous, watermark) : null;

        boolean recorded = false;
        for (int i = 0; i < plan.transactions().size(); i++) {
            boolean last = i == plan.transactions().size() - 1;
            recorded = apply(plan.transactions().get(i), last ? completion : null, run);
        }
        if (completion != null && !recorded) {
            // Nothing to write at the end (or the last writes were refused): the watermark goes on its own.
            commit(List.of(), completion, run);
            recorded = true;
        }
        SyncReport.Counts counts = new SyncReport.Counts(run.created, run.updated, run.deleted,
                plan.unchanged() + run.unchangedByServer, plan.linked(), run.rejected.size(), plan.fetched());
        return new SyncReport(source.id(), source.base(), full, since, recorded ? watermark : previous, recorded,
                history.pages(), changes.changes().size() + plan.fetched(), changes.unreadable(), counts, List.copyOf(run.rejected),
                run.transactions, List.copyOf(run.provenances), (System.nanoTime() - started) / 1_000_000);
    }

    /** Never back: a source clock that went back leaves the watermark where it was. */
    private static Instant newWatermark(Instant previous, Instant readUpTo) {
        if (readUpTo == null) {
            return previous;
        }
        return previous != null && readUpTo.isBefore(previous) ? previous : readUpTo;
    }

    /** What a run has done so far. */
    private static final class Run {
        int created;
        int updated;
        int deleted;
        int unchangedByServer;
        int transactions;
        final List<SyncReport.Rejected> rejected = new ArrayList<>();
        final List<String> provenances = new ArrayList<>();
        /** Resources the server refused to create in this run: whatever refers to them cannot be written either. */
        final Set<String> refusedCreations = new HashSet<>();
    }

    /**
     * Writes units in one transaction, or, if the server refuses it, splits them until the refused
     * units are found.
     *
     * @return whether the completion (if any) was recorded
     */
    private boolean apply(List<Unit> units, Completion completion, Run run) {
        List<Unit> writable = new ArrayList<>();
        for (Unit unit : units) {
            Optional<String> refused = unit.writes().stream().flatMap(write -> write.references().stream())
                    .filter(run.refusedCreations::contains).findFirst();
            if (refused.isPresent()) {
                reject(unit, "it refers to " + refused.get() + ", which the server refused in this run", run);
            } else {
                writable.add(unit);
            }
        }
        if (writable.isEmpty()) {
            return false;
        }
        try {
            commit(writable, completion, run);
            return completion != null;
        } catch (BaseServerResponseException refused) {
            if (!REFUSALS.contains(refused.getStatusCode())) {
                throw refused;
            }
            if (writable.size() == 1) {
                reject(writable.get(0), reason(refused), run);
                return false;
            }
            int half = writable.size() / 2;
            apply(writable.subList(0, half), null, run);
            return apply(writable.subList(half, writable.size()), completion, run);
        }
    }

    private void reject(Unit unit, String reason, Run run) {
        for (Write write : unit.writes()) {
            run.rejected.add(new SyncReport.Rejected(write.type(), write.remoteId(), write.localId(), reason));
            if (write.action() == Action.CREATE) {
                run.refusedCreations.add(write.localReference());
            }
        }
    }

    private void commit(List<Unit> units, Completion completion, Run run) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(SyncProvenance.device(source)).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(SyncProvenance.deviceReference(source.id()));
        List<String> targets = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (Unit unit : units) {
            for (Write write : unit.writes()) {
                if (write.action() == Action.DELETE) {
                    transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(write.localReference());
                    deleted.add(write.localReference());
                } else {
                    transaction.addEntry().setResource(write.resource()).getRequest()
                            .setMethod(Bundle.HTTPVerb.PUT).setUrl(write.localReference());
                    targets.add(write.localReference());
                }
            }
        }
        transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(SyncProvenance.provenance(source, targets, deleted, completion))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");

        Bundle response = localDirectory.transaction(transaction);
        run.transactions++;
        int entry = 1; // after the Device
        for (Unit unit : units) {
            for (Write write : unit.writes()) {
                Bundle.BundleEntryComponent answer = entry < response.getEntry().size() ? response.getEntry().get(entry) : null;
                entry++;
                if (write.action() == Action.DELETE) {
                    run.deleted++;
                } else if (answer != null && unchanged(answer)) {
                    run.unchangedByServer++;
                } else if (write.action() == Action.CREATE) {
                    run.created++;
                } else {
                    run.updated++;
                }
            }
        }
        response.getEntry().stream()
                .map(answer -> answer.getResponse().getLocation())
                .filter(location -> location != null && location.startsWith("Provenance/"))
                .map(location -> location.replaceAll("/_history/.*$", ""))
                .forEach(run.provenances::add);
    }

    /** The server found the resource already as written (HAPI stores no new version then). */
    private static boolean unchanged(Bundle.BundleEntryComponent answer) {
        return answer.getResponse().getOutcome() instanceof OperationOutcome outcome
                && outcome.getIssue().stream().flatMap(issue -> issue.getDetails().getCoding().stream())
                        .anyMatch(coding -> "SUCCESSFUL_UPDATE_NO_CHANGE".equals(coding.getCode()));
    }

    /** The server's reason: its HTTP status and first error (diagnostics and where), shortened. */
    static String reason(BaseServerResponseException refused) {
        String detail = refused.getMessage();
        IBaseOperationOutcome outcome = refused.getOperationOutcome();
        if (outcome instanceof OperationOutcome operationOutcome) {
            detail = operationOutcome.getIssue().stream()
                    .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                            || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                    .findFirst()
                    .map(issue -> issue.getDiagnostics()
                            + (issue.getExpression().isEmpty() ? "" : " (at " + issue.getExpression().get(0).getValue() + ")"))
                    .orElse(detail);
        }
        String reason = "the server refused it (HTTP " + refused.getStatusCode() + "): " + detail;
        return reason.length() <= REASON_LENGTH ? reason : reason.substring(0, REASON_LENGTH - 1) + "…";
    }
}
