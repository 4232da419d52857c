package jp.nanbyo.fhir.routes.matchmaker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.nanbyo.fhir.routes.matchmaker.MatchResponse.Match;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task.TaskOutputComponent;

/**
 * Turns a node's matches into outputs of the referral Task, so that the clinicians following the referral see
 * them where they see everything else about it: one output per match, the match itself (as the node sent it)
 * as an MME JSON attachment whose title summarises it in Japanese and English; and, when the node knows no
 * similar patient, one output saying so, because "asked, nothing found" is a result and must not look like
 * "never asked".
 */
public final class MatchesToTaskOutputMapper {

    /** The network's Task output types (the CodeSystem itself is defined in the terminology module). */
    public static final String OUTPUT_TYPE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-task-output-type");
    public static final String MME_MATCH = "mme-match";
    static final String MME_MATCH_DISPLAY = "Matchmaker Exchange の照合結果";
    static final String NO_MATCH = "一致する症例はありませんでした (no match)";
    /** So many HPO ids fit in an attachment's title; the attachment holds them all. */
    private static final int TITLE_FEATURES = 5;

    /**
     * @param nodeName the node as clinicians know it ({@code IRUD Exchange}); starts every title
     */
    public List<TaskOutputComponent> toOutputs(String nodeName, MatchResponse response) {
        List<TaskOutputComponent> outputs = new ArrayList<>();
        for (Match match : response.results()) {
            Attachment attachment = new Attachment()
                    .setContentType(MatchmakerClient.MEDIA_TYPE)
                    .setData(match.json().getBytes(StandardCharsets.UTF_8))
                    .setTitle(title(nodeName, match));
            outputs.add(new TaskOutputComponent(type(), attachment));
        }
        if (outputs.isEmpty()) {
            outputs.add(new TaskOutputComponent(type(), new StringType(nodeName + ": " + NO_MATCH)));
        }
        return outputs;
    }

    /** {@code IRUD Exchange: 一致候補 score 0.83 (patient P0001; HP:0001250, HP:0004322; gene TTN)}. */
    static String title(String nodeName, Match match) {
        StringBuilder title = new StringBuilder(nodeName).append(": 一致候補 score ")
                .append(String.format(Locale.ROOT, "%.2f", match.score()))
                .append(" (patient ").append(match.patientId());
        if (!match.features().isEmpty()) {
            List<String> shown = match.features().stream().limit(TITLE_FEATURES).toList();
            title.append("; ").append(String.join(", ", shown))
                    .append(match.features().size() > shown.size() ? ", …" : "");
        }
        if (!match.genes().isEmpty()) {
            title.append(match.genes().size() == 1 ? "; gene " : "; genes ").append(String.join(", ", match.genes()));
        }
        return title.append(')').toString();
    }

    private static CodeableConcept type() {
        return new CodeableConcept(new Coding(OUTPUT_TYPE_SYSTEM, MME_MATCH, MME_MATCH_DISPLAY));
    }
}
