package jp.nanbyo.fhir.routes.designation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.util.List;

/**
 * What an import did, or would do (dry run), or why it refused the file: answered to the uploader,
 * written beside the file in done/ or error/, and summarised in logs and metrics.
 */
public record ImportReport(
        Status status,
        String messageJa,
        String messageEn,
        String fileName,
        String source,
        String sha256,
        String prefecture,
        LocalDate referenceDate,
        int rows,
        Counts counts,
        List<ImportProblem> problems,
        List<Change> changes,
        String provenance,
        long durationMillis) {

    public enum Status {
        /** The changes were written in one transaction, with a Provenance. */
        APPLIED,
        /** The directory already says what the list says: nothing written. */
        UNCHANGED,
        /** This very file (same SHA-256) is the prefecture's last import: nothing written. */
        ALREADY_IMPORTED,
        /** The file has problems (all listed): nothing written. */
        REJECTED,
        /** What an import would change; nothing written. */
        DRY_RUN;

        @JsonValue
        public String code() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public record Counts(int created, int updated, int ended, int unchanged) {

        static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    /** One change: create, update or end, of which resource, in words an operator reads. */
    public record Change(String action, String resourceType, String identifier, String description) {
    }

    public boolean rejected() {
        return status == Status.REJECTED;
    }
}
