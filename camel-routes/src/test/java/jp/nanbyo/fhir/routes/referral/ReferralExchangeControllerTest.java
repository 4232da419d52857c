package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.UUID;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Kind;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** The operator's listing of the outbox on a real (in-memory H2) database; replay end to end is in ReferralExchangeIT. */
class ReferralExchangeControllerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    ReferralOutbox outbox;
    ReferralExchangeController controller;

    @BeforeEach
    void database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        outbox = new ReferralOutbox(dataSource);
        outbox.createTablesIfAbsent();
        controller = new ReferralExchangeController(outbox, null); // the listing records nothing on Tasks
    }

    @Test
    void aTaskIsFoundByTheReferenceTheListingShowsAsByItsId() throws Exception {
        outbox.enqueue("1510", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("1511", "7", Kind.FHIR_REST, "IRUD");

        JsonNode all = body(controller.list(Optional.empty(), Optional.empty()));
        assertThat(all.path("entries").get(0).path("task").asText()).isEqualTo("Task/1510");
        for (String task : new String[] {"1510", "Task/1510"}) {
            JsonNode listed = body(controller.list(Optional.empty(), Optional.of(task)));
            // Task/1510 answered no entries: the outbox keeps the bare id.
            assertThat(listed.path("entries")).as(task).hasSize(1);
            assertThat(listed.path("entries").get(0).path("task").asText()).isEqualTo("Task/1510");
        }
    }

    @Test
    void aTaskThatCannotBeAnIdIsRefusedNamingTheParameter() throws Exception {
        for (String task : new String[] {"Organization/5", "http://other.example/fhir/Task/1510", ""}) {
            ResponseEntity<String> answer = controller.list(Optional.empty(), Optional.of(task));
            assertThat(answer.getStatusCode().value()).as(task).isEqualTo(400);
            JsonNode body = JSON.readTree(answer.getBody());
            assertThat(body.path("status").asText()).isEqualTo("bad-request");
            assertThat(body.path("messageEn").asText()).startsWith("task: cannot read").contains("Task/123");
            assertThat(body.path("messageJa").asText()).contains("task の値");
        }
    }

    static JsonNode body(ResponseEntity<String> answer) throws Exception {
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        return JSON.readTree(answer.getBody());
    }
}
