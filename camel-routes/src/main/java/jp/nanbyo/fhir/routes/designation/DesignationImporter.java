package jp.nanbyo.fhir.routes.designation;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.ConnectException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.routes.designation.DesignationPlanner.ResolvedRow;
import jp.nanbyo.fhir.routes.designation.ImportReport.Counts;
import jp.nanbyo.fhir.routes.designation.ImportReport.Status;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Imports one prefecture's designation list into the directory over FHIR REST: reads and checks
 * the file, compares it with the directory, and writes the differences and a Provenance in one
 * transaction, or answers why it will not. Stateless; the directory itself remembers what was
 * imported (the Provenance of each import carries the file's SHA-256).
 */
public final class DesignationImporter {

    /** A change made meanwhile by someone else fails our conditional writes: read again and re-plan. */
    private static final int ATTEMPTS = 3;

    /** How long the terminology read from the server is used before it is read again. */
    private static final Duration TERMINOLOGY_MAX_AGE = Duration.ofMinutes(10);
    /** A terminology younger than this is not read again to look for a role or area a list names. */
    private static final Duration FRESH = Duration.ofSeconds(5);

    private final IGenericClient client;
    private final DesignationListReader reader;
    private final Duration answerTimeout;
    private volatile DesignationTerminology terminology;
    /** Transactions sent whose answer never came, by file hash: applied, not applied, or maybe still on their way. */
    private final Map<String, Unanswered> unanswered = new ConcurrentHashMap<>();

    /**
     * @param answerTimeout how long a transaction's answer is waited for (the client's socket timeout), and how long a
     *     transaction whose answer never came is given to land before the same file is sent again
     */
    public DesignationImporter(IGenericClient client, DesignationListReader reader, Duration answerTimeout) {
        this.client = client;
        this.reader = reader;
        this.answerTimeout = answerTimeout;
    }

    /**
     * A transaction was sent and its answer lost (cut off, timed out). The server may have applied it, may not have, or
     * may still be applying it: the next attempt with the same file must neither send it again while it may still land
     * (an import of creates only would land twice: its conditional creates find what the first made, and a second
     * Provenance would claim the changes) nor call the first one someone else's import.
     */
    private record Unanswered(Date recorded, DesignationPlan plan, long sentNanos) {

        /** The last import is this transaction: the Provenance it wrote carries the time we stamped on it. */
        boolean landedAs(Provenance lastImport) {
            return recorded.equals(lastImport.getRecorded());
        }
    }

    /**
     * The transaction was sent and its answer lost, or such an earlier attempt with the same file has not shown in the
     * directory yet: it may have been applied, or may still be. Retry later: the import then answers what happened.
     */
    public static final class OutcomeUnknown extends RuntimeException {
        OutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param source where the file came from (folder, upload, an URL), recorded in the Provenance
     * @param dryRun answer the report and the changes without writing
     */
    public ImportReport importFile(String fileName, byte[] content, String source, boolean dryRun) {
        long started = System.nanoTime();
        String sha256 = sha256(content);
        return report(run(fileName, content, sha256, source, dryRun), fileName, source, sha256, started);
    }

    /** The report on a file refused before it could be read (too large, or no file in the request); it has no hash. */
    static ImportReport refused(String fileName, String source, ImportProblem problem) {
        return report(rejected(null, List.of(problem)), fileName, source, null, System.nanoTime());
    }

    private static ImportReport report(Outcome outcome, String fileName, String source, String sha256, long started) {
        return new ImportReport(outcome.status, outcome.messageJa, outcome.messageEn, fileName, source, sha256,
                outcome.read.prefecture(),
                outcome.read.referenceDate(),
                outcome.read.rows(),
                outcome.plan == null ? Counts.NONE : outcome.plan.counts(),
                outcome.problems,
                outcome.plan == null ? List.of() : outcome.plan.changes(),
                outcome.provenance,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static final class Outcome {
        Status status;
        String messageJa;
        String messageEn;
        DesignationList list;
        DesignationPlan plan;
        List<ImportProblem> problems = List.of();
        String provenance;
        /** What the report says of the file: its prefecture, 基準日 and rows, also when it was rejected. */
        ReadResult.Read read = ReadResult.Read.NOTHING;

        Outcome(Status status, String messageJa, String messageEn) {
            this.status = status;
            this.messageJa = messageJa;
            this.messageEn = messageEn;
        }

        /** The list and the plan the outcome is about. */
        Outcome about(DesignationList list, DesignationPlan plan) {
            this.list = list;
            this.plan = plan;
            if (list != null) {
                this.read = ReadResult.Read.of(list);
            }
            return this;
        }
    }

    private Outcome run(String fileName, byte[] content, String sha256, String source, boolean dryRun) {
        ReadResult read = reader.read(fileName, content);
        if (!read.ok()) {
            List<ImportProblem> problems = new ArrayList<>(read.problems());
            problems.addAll(terminologyProblemsOfRejectedList(read));
            problems.sort(Comparator.comparingInt(ImportProblem::row));
            Outcome rejected = rejected(null, problems);
            rejected.read = read.read();
            return rejected;
        }
        DesignationList list = read.list();
        Resolution resolution = resolve(list);
        if (!resolution.problems().isEmpty()) {
            return rejected(list, resolution.problems());
        }
        DesignationTerminology terminology = resolution.terminology();
        List<ResolvedRow> rows = resolution.rows();
        Set<String> codes = rows.stream().map(r -> r.row().medicalInstitutionCode())
                .collect(Collectors.toCollection(LinkedHashSet::new));

        for (int attempt = 1; ; attempt++) {
            Optional<Provenance> lastImport = DirectorySnapshot.lastImport(client, terminology.prefecture(list.prefectureCode()));
            Optional<Outcome> earlier = dryRun ? Optional.empty() : outcomeOfUnanswered(sha256, lastImport, list);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Optional<Outcome> refused = checkAgainstLastImport(lastImport, list, sha256);
            if (refused.isPresent()) {
                return refused.get().about(list, null);
            }
            DirectorySnapshot snapshot = DirectorySnapshot.load(client, list.prefectureCode(), terminology, codes);
            DesignationPlan plan = new DesignationPlanner(list, rows, snapshot, terminology).plan();
            if (plan.isEmpty()) {
                return new Outcome(Status.UNCHANGED,
                        "ディレクトリは一覧のとおりです。何も変更していません。",
                        "The directory already says what the list says; nothing was changed.").about(list, plan);
            }
            if (dryRun) {
                return new Outcome(Status.DRY_RUN,
                        "試行のみです。取り込むと次の変更になります (何も書き込んでいません)。",
                        "Dry run: importing would make these changes (nothing was written).").about(list, plan);
            }
            Provenance provenance = provenance(list, plan, fileName, source, sha256, snapshot, terminology);
            try {
                Bundle response = send(plan.transaction(provenance), sha256,
                        new Unanswered(provenance.getRecorded(), plan, System.nanoTime()));
                Outcome applied = new Outcome(Status.APPLIED, "取り込みました。", "Imported.").about(list, plan);
                applied.provenance = provenanceLocation(response);
                return applied;
            } catch (PreconditionFailedException | ResourceVersionConflictException changedMeanwhile) {
                if (attempt == ATTEMPTS) {
                    throw changedMeanwhile;
                }
            } catch (UnprocessableEntityException invalid) {
                return rejected(list, serverProblems(invalid));
            } catch (PayloadTooLargeException tooLarge) {
                return rejected(list, List.of(ImportProblem.ofFile(
                        "一覧が大きすぎて 1 つのトランザクション (" + plan.writes().size() + " 件の変更) として FHIR サーバーに受け付けられません。"
                                + "一覧を分けるか、運用担当に FHIR サーバーの上限 (nanbyo.fhir.maximum-request-size,"
                                + " nanbyo.fhir.maximum-request-elements, nanbyo.fhir.maximum-bundle-entries) の引き上げを相談してください。",
                        "The list makes a transaction (" + plan.writes().size() + " changes) larger than the FHIR server takes;"
                                + " split the list, or ask the operators to raise the FHIR server's limits"
                                + " (nanbyo.fhir.maximum-request-size, nanbyo.fhir.maximum-request-elements,"
                                + " nanbyo.fhir.maximum-bundle-entries).")));
            }
        }
    }

    /** Sends the import's transaction; if its answer is lost once sent, remembers it as {@code unanswered}. */
    private Bundle send(Bundle transaction, String sha256, Unanswered ifLost) {
        try {
            return client.transaction().withBundle(transaction).execute();
        } catch (FhirClientConnectionException e) {
            if (causedBy(e, ConnectException.class)) {
                throw e; // no connection: nothing was sent
            }
            unanswered.put(sha256, ifLost);
            throw new OutcomeUnknown("the FHIR server's answer to the import's transaction was lost: " + e.getMessage(), e);
        }
    }

    /**
     * The outcome of an earlier attempt with this file whose answer was lost: applied, if the last import is that
     * transaction; nothing yet, if it may still land (refused for now); none, if it had long enough to land and did not
     * (then the file is imported as any other).
     */
    private Optional<Outcome> outcomeOfUnanswered(String sha256, Optional<Provenance> lastImport, DesignationList list) {
        Unanswered earlier = unanswered.get(sha256);
        if (earlier == null) {
            return Optional.empty();
        }
        if (lastImport.isPresent() && earlier.landedAs(lastImport.get())) {
            unanswered.remove(sha256);
            Outcome applied = new Outcome(Status.APPLIED,
                    "取り込みました。FHIR サーバーの応答が届かなかったため、ディレクトリを読み直して取り込まれたことを確かめました。",
                    "Imported. The FHIR server's answer was lost; reading the directory again shows the import applied.")
                    .about(list, earlier.plan());
            applied.provenance = lastImport.get().getIdElement().toUnqualifiedVersionless().getValue();
            return Optional.of(applied);
        }
        if (System.nanoTime() - earlier.sentNanos() < answerTimeout.toNanos()) {
            throw new OutcomeUnknown("the answer to an earlier attempt with this file was lost and it may still be"
                    + " applied; not sending it again before " + answerTimeout + " have passed since", null);
        }
        unanswered.remove(sha256);
        return Optional.empty();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A list's rows resolved against the terminology, the terminology they were resolved with, and what it refused. */
    private record Resolution(DesignationTerminology terminology, List<ResolvedRow> rows, List<ImportProblem> problems) {
    }

    /** Resolves the rows; a role or area the terminology as last read does not know makes it read again once. */
    private Resolution resolve(DesignationList list) {
        return againstTerminology(terminology -> {
            List<ImportProblem> problems = new ArrayList<>();
            List<ResolvedRow> rows = resolve(list, terminology, problems);
            return new Resolution(terminology, rows, problems);
        });
    }

    /**
     * A check against the terminology as last read; if it finds problems and that copy is not fresh, the check again
     * against a fresh read (a role or area added to the server since is importable at once).
     */
    private Resolution againstTerminology(Function<DesignationTerminology, Resolution> check) {
        DesignationTerminology terminology = terminology(false);
        Resolution resolution = check.apply(terminology);
        if (!resolution.problems().isEmpty() && !terminology.isNewerThan(System.nanoTime() - FRESH.toNanos())) {
            resolution = check.apply(terminology(true));
        }
        return resolution;
    }

    /**
     * What the terminology says of a list rejected for problems of form (unknown roles, areas, fields): of its
     * well-formed rows, and of what its other rows name. So one report names every problem, not the problems of form
     * first and these only once those are fixed. A list rejected anyway is not held up by the server: unreachable, it
     * leaves these for the next report.
     */
    private List<ImportProblem> terminologyProblemsOfRejectedList(ReadResult read) {
        if (read.wellFormed() == null && read.namedByRowsWithProblems().isEmpty()) {
            return List.of();
        }
        try {
            return againstTerminology(terminology -> {
                List<ImportProblem> problems = new ArrayList<>();
                if (read.wellFormed() != null) {
                    resolve(read.wellFormed(), terminology, problems);
                }
                read.namedByRowsWithProblems().forEach(named -> terms(named, read.read().prefecture(), terminology, problems));
                return new Resolution(terminology, List.of(), problems);
            }).problems();
        } catch (RuntimeException serverUnavailable) {
            return List.of();
        }
    }

    /** The code systems as last read from the server; read again when asked to or when older than {@link #TERMINOLOGY_MAX_AGE}. */
    private DesignationTerminology terminology(boolean reload) {
        DesignationTerminology current = terminology;
        if (reload || current == null || !current.isNewerThan(System.nanoTime() - TERMINOLOGY_MAX_AGE.toNanos())) {
            current = DesignationTerminology.load(client);
            terminology = current;
        }
        return current;
    }

    /** Same file as the last import: nothing to do. A list older than the last one imported: refused. */
    private static Optional<Outcome> checkAgainstLastImport(Optional<Provenance> last, DesignationList list, String sha256) {
        if (last.isEmpty()) {
            return Optional.empty();
        }
        String lastHash = DirectorySnapshot.importedFileHash(last.get()).orElse(null);
        String when = last.get().getRecordedElement().getValueAsString();
        if (sha256.equals(lastHash)) {
            return Optional.of(new Outcome(Status.ALREADY_IMPORTED,
                    "このファイルは " + when + " に取り込み済みです。何も変更していません。",
                    "This file was already imported at " + when + "; nothing was changed."));
        }
        if (last.get().hasOccurredDateTimeType()) {
            LocalDate lastReferenceDate = LocalDate.parse(last.get().getOccurredDateTimeType().getValueAsString().substring(0, 10));
            if (list.referenceDate().isBefore(lastReferenceDate)) {
                Outcome stale = rejected(list, List.of(new ImportProblem(0, Column.REFERENCE_DATE.header(),
                        list.referenceDate().toString(),
                        "この一覧の基準日は、取り込み済みの一覧の基準日 " + lastReferenceDate
                                + " より前です。新しい一覧を取り込んでください。",
                        "This list's reference date is before that of the list already imported ("
                                + lastReferenceDate + "); import a newer list.")));
                return Optional.of(stale);
            }
        }
        return Optional.empty();
    }

    /** Checks what needs the terminology: roles, fields, areas; and one name per hospital. */
    private static List<ResolvedRow> resolve(DesignationList list, DesignationTerminology terminology, List<ImportProblem> problems) {
        List<ResolvedRow> resolved = new ArrayList<>();
        Map<String, DesignationRow> firstRowOfHospital = new HashMap<>();
        Map<String, DesignationRow> firstRowOfDesignation = new HashMap<>();
        String prefecture = list.prefectureCode();
        for (DesignationRow row : list.rows()) {
            int before = problems.size();
            Terms terms = terms(new ReadResult.Named(row.row(), row.role(), row.field(), row.secondaryArea()), prefecture,
                    terminology, problems);
            DesignationRow first = firstRowOfHospital.putIfAbsent(row.medicalInstitutionCode(), row);
            if (first != null && !first.hospitalName().equals(row.hospitalName())) {
                problems.add(new ImportProblem(row.row(), Column.HOSPITAL_NAME.header(), row.hospitalName(),
                        "同じ医療機関コードの " + first.row() + " 行目と医療機関名が違います (" + first.hospitalName() + ")。",
                        "Row " + first.row() + " gives this 医療機関コード another name (" + first.hospitalName() + ")."));
            }
            if (problems.size() == before) {
                ResolvedRow candidate = new ResolvedRow(row, terms.role(), terms.field(), terms.area());
                // The reader compares the text; a role written once as a code and once as its name is caught here.
                DesignationRow same = firstRowOfDesignation.putIfAbsent(candidate.key(prefecture), row);
                if (same != null) {
                    problems.add(new ImportProblem(row.row(), Column.ROLE.header(), row.role(),
                            same.row() + " 行目と同じ指定です (医療機関コード・指定区分・専門分野・指定開始日が同じ)。",
                            "The same designation as row " + same.row() + " (same code, role, field and start)."));
                } else {
                    resolved.add(candidate);
                }
            }
        }
        return resolved;
    }

    /** What a row's 指定区分, 専門分野 and 二次医療圏 are in the terminology (null where unknown or empty: a problem says which). */
    private record Terms(DesignationTerminology.Role role, DesignationTerminology.Field field, DesignationTerminology.Area area) {
    }

    private static Terms terms(ReadResult.Named named, String prefecture, DesignationTerminology terminology, List<ImportProblem> problems) {
        DesignationTerminology.Role role = null;
        if (named.role() != null) {
            role = terminology.role(named.role()).orElse(null);
            if (role == null) {
                problems.add(unknownRole(named.row(), named.role(), terminology, prefecture));
            } else if (role.onlyPrefecture() != null && !role.onlyPrefecture().equals(prefecture)) {
                problems.add(new ImportProblem(named.row(), Column.ROLE.header(), named.role(),
                        "指定区分「" + named.role() + "」は都道府県 " + role.onlyPrefecture() + " 独自の区分で、この都道府県では使えません。",
                        "The role \"" + named.role() + "\" belongs to prefecture " + role.onlyPrefecture() + " only."));
            }
        }
        DesignationTerminology.Field field = null;
        if (!named.field().isEmpty()) {
            field = terminology.field(named.field()).orElse(null);
            if (field == null) {
                problems.add(new ImportProblem(named.row(), Column.FIELD.header(), named.field(),
                        "専門分野「" + named.field() + "」は未登録です。難病情報センターの疾患群名 (例: 神経・筋疾患) で書いてください。",
                        "Unknown field \"" + named.field() + "\"; use a disease group of nanbyou.or.jp, e.g. 神経・筋疾患."));
            }
        } else if (role != null && role.code().equals("field-hub-hospital")) {
            problems.add(new ImportProblem(named.row(), Column.FIELD.header(), "",
                    "難病診療分野別拠点病院には専門分野が必要です。",
                    "A field-specific hub hospital needs its field (専門分野)."));
        }
        DesignationTerminology.Area area = null;
        if (!named.secondaryArea().isEmpty()) {
            area = terminology.area(prefecture, named.secondaryArea()).orElse(null);
            if (area == null) {
                String known = terminology.areas(prefecture).stream().map(DesignationTerminology.Area::name)
                        .collect(Collectors.joining("、"));
                problems.add(new ImportProblem(named.row(), Column.SECONDARY_AREA.header(), named.secondaryArea(),
                        "二次医療圏「" + named.secondaryArea() + "」はこの都道府県に登録されていません"
                                + (known.isEmpty() ? " (この都道府県の二次医療圏は未登録です。空欄にしてください)。" : " (登録済み: " + known + ")。"),
                        "Unknown secondary medical area \"" + named.secondaryArea() + "\" for this prefecture"
                                + (known.isEmpty() ? " (none registered yet: leave it empty)." : " (known: " + known + ").")));
            }
        }
        return new Terms(role, field, area);
    }

    private static ImportProblem unknownRole(int row, String role, DesignationTerminology terminology, String prefecture) {
        String known = terminology.roles().stream()
                .filter(r -> r.onlyPrefecture() == null || r.onlyPrefecture().equals(prefecture))
                .map(DesignationTerminology.Role::display)
                .collect(Collectors.joining("、"));
        return new ImportProblem(row, Column.ROLE.header(), role,
                "指定区分「" + role + "」は未登録です (使える区分: " + known + ")。都道府県独自の区分を加えるには、"
                        + "terminology/src/main/csv/designation-roles.csv に 1 行 (scope=prefecture-specific, prefecture="
                        + prefecture + ") を追加してサーバーを更新してください (docs/integration/designation-import.md)。",
                "Unknown role \"" + role + "\" (known: " + known + "). To add a prefecture's own role, add one row to "
                        + "terminology/src/main/csv/designation-roles.csv (scope=prefecture-specific, prefecture=" + prefecture
                        + ") and update the server (docs/integration/designation-import.md).");
    }

    private static Provenance provenance(DesignationList list, DesignationPlan plan, String fileName, String source,
            String sha256, DirectorySnapshot snapshot, DesignationTerminology terminology) {
        DesignationTerminology.Prefecture prefecture = terminology.prefecture(list.prefectureCode());
        Reference author = snapshot.government(prefecture)
                .map(g -> new Reference(g.getIdElement().toUnqualifiedVersionless().getValue()))
                .orElseGet(() -> plan.writes().stream()
                        .filter(w -> w.identifier().startsWith(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE + "|"))
                        .findFirst().orElseThrow().reference())
                .setDisplay(prefecture.name());
        Provenance provenance = new Provenance();
        provenance.setRecordedElement(org.hl7.fhir.r4.model.InstantType.now());
        provenance.setOccurred(new DateTimeType(list.referenceDate().toString()));
        provenance.setActivity(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "UPDATE", "revise"))
                .setText("指定一覧の取込 (designation list import)"));
        provenance.addAgent()
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "author", "Author")))
                .setWho(author);
        provenance.addAgent()
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "assembler", "Assembler")))
                .setWho(new Reference().setDisplay("Nanbyo designation import"));
        provenance.addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference()
                        .setIdentifier(new Identifier().setSystem(NanbyoIdentifierSystems.IMPORT_FILE_SHA256).setValue(sha256))
                        .setDisplay(fileName + " (" + source + ")"));
        Counts counts = plan.counts();
        String summary = "指定一覧の取込 " + fileName + ": 作成 " + counts.created() + "、更新 " + counts.updated()
                + "、終了 " + counts.ended() + " (created " + counts.created() + ", updated " + counts.updated()
                + ", ended " + counts.ended() + ")";
        provenance.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escapeXml(summary) + "</div>");
        return provenance;
    }

    private static String provenanceLocation(Bundle response) {
        return response.getEntry().stream()
                .map(entry -> entry.getResponse().getLocation())
                .filter(location -> location != null && location.startsWith("Provenance/"))
                .map(location -> location.replaceAll("/_history/.*$", ""))
                .findFirst().orElse(null);
    }

    private static Outcome rejected(DesignationList list, List<ImportProblem> problems) {
        Outcome outcome = new Outcome(Status.REJECTED,
                "一覧に問題があるため取り込みませんでした (問題 " + problems.size() + " 件)。何も変更していません。",
                "The list was not imported: " + problems.size() + " problem(s); nothing was changed.").about(list, null);
        outcome.problems = List.copyOf(problems);
        return outcome;
    }

    /** The server refused a resource (a rule we do not check ourselves): its issues, as problems of the file. */
    private static List<ImportProblem> serverProblems(UnprocessableEntityException invalid) {
        List<ImportProblem> problems = new ArrayList<>();
        if (invalid.getOperationOutcome() instanceof OperationOutcome outcome) {
            outcome.getIssue().stream()
                    .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                            || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                    .forEach(issue -> problems.add(new ImportProblem(0, "",
                            issue.getExpression().isEmpty() ? "" : issue.getExpression().get(0).getValue(),
                            "サーバーが受け付けませんでした: " + issue.getDiagnostics(),
                            "The server refused it: " + issue.getDiagnostics())));
        }
        if (problems.isEmpty()) {
            problems.add(new ImportProblem(0, "", "", "サーバーが受け付けませんでした: " + invalid.getMessage(),
                    "The server refused it: " + invalid.getMessage()));
        }
        return problems;
    }

    static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
