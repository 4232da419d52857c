package jp.nanbyo.fhir.routes.matchmaker;

import java.util.List;

/**
 * A node's answer to {@code POST /match}: the patients it holds that resemble ours, best first as the node sent
 * them. Only what the Task output needs is read; fields we do not know (a node's {@code _extensions}, the
 * disclaimer) are kept in each match's {@link Match#json()} untouched.
 */
public record MatchResponse(List<Match> results) {

    public MatchResponse {
        results = List.copyOf(results);
    }

    /**
     * One matched patient of the other node.
     *
     * @param score the node's {@code score.patient}, 0 (poor) to 1 (perfect)
     * @param patientId the id of the patient at the other node (its own pseudonym, not ours)
     * @param features the HPO ids the matched patient is observed to have ({@code observed} "no" left out)
     * @param genes the {@code genomicFeatures[].gene.id}s (a symbol, Ensembl or Entrez id: whatever the node sent)
     * @param json the match object exactly as received (score and patient), for the Task output's attachment
     */
    public record Match(double score, String patientId, String label, String contactName, String contactHref,
            String contactInstitution, List<String> features, List<String> genes, String json) {

        public Match {
            features = List.copyOf(features);
            genes = List.copyOf(genes);
        }
    }
}
