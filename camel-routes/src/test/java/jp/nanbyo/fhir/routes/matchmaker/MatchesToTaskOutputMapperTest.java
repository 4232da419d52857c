package jp.nanbyo.fhir.routes.matchmaker;

import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.gene;
import static jp.nanbyo.fhir.routes.matchmaker.TestObservations.hpo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import jp.nanbyo.fhir.routes.matchmaker.MatchResponse.Match;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task.TaskOutputComponent;
import org.junit.jupiter.api.Test;

class MatchesToTaskOutputMapperTest {

    static final String TOKEN = "irud-issued-token";

    final MatchesToTaskOutputMapper mapper = new MatchesToTaskOutputMapper();
    final MatchmakerClient client = new MatchmakerClient(Duration.ofSeconds(2), Duration.ofSeconds(5), null);
    final ObjectNode request = new MatchRequestMapper().toMatchRequest("NB-7F3K2", MatchRequestMapperTest.CONTACT, null,
            List.of(hpo("HP:0001250", "Seizure"), hpo("HP:0004322", "Short stature"), hpo("HP:0001263", "Global developmental delay"),
                    gene("HGNC:12403", "TTN", "LA6706-1"))).orElseThrow();

    @Test
    void eachMatchFromTheNodeBecomesOneOutputWithItsJsonAndASummary() throws Exception {
        List<TaskOutputComponent> outputs;
        try (MatchmakerNode node = MatchmakerNode.http(TOKEN)) {
            node.addPatient("P0001", List.of("HP:0004322", "HP:0001250"), List.of("TTN"));
            node.addPatient("P0002", List.of("HP:0001263", "HP:0000252"), List.of("MYH7"));
            node.addPatient("P0003", List.of("HP:0000365"), List.of("GJB2"));
            outputs = mapper.toOutputs("IRUD Exchange", client.match(node.matchUrl(), TOKEN, request));
        }

        assertThat(outputs).hasSize(2);
        assertThat(outputs).allSatisfy(output -> {
            Coding type = output.getType().getCodingFirstRep();
            assertThat(type.getSystem()).isEqualTo("http://nanbyo.jp/fhir/CodeSystem/nanbyo-task-output-type");
            assertThat(type.getCode()).isEqualTo("mme-match");
            assertThat(type.getDisplay()).isEqualTo("Matchmaker Exchange の照合結果");
        });
        Attachment best = (Attachment) outputs.get(0).getValue();
        assertThat(best.getContentType()).isEqualTo("application/vnd.ga4gh.matchmaker.v1.0+json");
        assertThat(best.getTitle())
                .isEqualTo("IRUD Exchange: 一致候補 score 0.83 (patient P0001; HP:0001250, HP:0004322; gene TTN)");
        JsonNode data = new ObjectMapper().readTree(best.getData());
        assertThat(data.at("/patient/id").asText()).isEqualTo("P0001");
        assertThat(data.at("/score/patient").asDouble()).isEqualTo(0.83);
        assertThat(((Attachment) outputs.get(1).getValue()).getTitle())
                .isEqualTo("IRUD Exchange: 一致候補 score 0.25 (patient P0002; HP:0000252, HP:0001263; gene MYH7)");
    }

    @Test
    void noMatchIsOneOutputThatSaysTheQueryWasMade() {
        List<TaskOutputComponent> outputs = mapper.toOutputs("IRUD Exchange", new MatchResponse(List.of()));

        assertThat(outputs).singleElement().satisfies(output -> {
            assertThat(output.getType().getCodingFirstRep().getCode()).isEqualTo("mme-match");
            assertThat(output.getValue().primitiveValue())
                    .isEqualTo("IRUD Exchange: 一致する症例はありませんでした (no match)");
        });
    }

    @Test
    void aLongFeatureListIsShortenedInTheTitleOnly() {
        Match match = new Match(0.5, "Q9", null, "x", "mailto:x@example.org", null,
                List.of("HP:0000001", "HP:0000002", "HP:0000003", "HP:0000004", "HP:0000005", "HP:0000006"),
                List.of("TTN", "MYH7"), "{\"patient\":{\"id\":\"Q9\"},\"score\":{\"patient\":0.5}}");

        List<TaskOutputComponent> outputs = mapper.toOutputs("IRUD Exchange", new MatchResponse(List.of(match)));

        Attachment attachment = (Attachment) outputs.get(0).getValue();
        assertThat(attachment.getTitle()).isEqualTo("IRUD Exchange: 一致候補 score 0.50 (patient Q9; HP:0000001,"
                + " HP:0000002, HP:0000003, HP:0000004, HP:0000005, …; genes TTN, MYH7)");
        assertThat(new String(attachment.getData(), StandardCharsets.UTF_8)).isEqualTo(match.json());
    }
}
