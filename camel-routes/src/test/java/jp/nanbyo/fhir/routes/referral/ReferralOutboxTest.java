package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Kind;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.State;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** The outbox's own rules on a real (in-memory H2) database; PostgreSQL is exercised by ReferralExchangeIT. */
class ReferralOutboxTest {

    ReferralOutbox outbox;

    @BeforeEach
    void database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        outbox = new ReferralOutbox(dataSource);
        outbox.createTablesIfAbsent();
        outbox.createTablesIfAbsent(); // every node calls it at start-up
    }

    @Test
    void aQueuedEntryIsTakenOnceUntilItsLeaseEndsAndEachTakingCountsAnAttempt() throws Exception {
        outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");

        Entry first = outbox.claimDue(10, Duration.ofMillis(300)).get(0);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.kind()).isEqualTo(Kind.FHIR_REST);
        assertThat(outbox.claimDue(10, Duration.ofMillis(300))).as("held by the first attempt").isEmpty();

        Thread.sleep(400); // the attempt died: its lease ends
        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).singleElement()
                .satisfies(again -> assertThat(again.attempts()).isEqualTo(2));
    }

    @Test
    void aRetryWaitsUntilItIsDueAndKeepsTheReason() throws Exception {
        outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");
        Entry taken = outbox.claimDue(10, Duration.ofMinutes(1)).get(0);
        outbox.retryLater(taken.id(), Instant.now().plusMillis(300), "partner answered HTTP 503");

        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).as("not due yet").isEmpty();
        assertThat(outbox.find(taken.id()).orElseThrow().lastError()).isEqualTo("partner answered HTTP 503");
        Thread.sleep(400);
        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).hasSize(1);
    }

    @Test
    void onlyADeadEntryIsReplayedAndItStartsAgainFromZeroAttempts() {
        outbox.enqueue("12", "7", Kind.MATCHMAKER, "IRUD");
        Entry taken = outbox.claimDue(10, Duration.ofMinutes(1)).get(0);
        assertThat(outbox.replay(taken.id())).as("pending, not dead").isFalse();

        outbox.deadLettered(taken.id(), "refused: partner answered HTTP 422");
        assertThat(outbox.list(Optional.of(State.DEAD), 10)).extracting(Entry::id).containsExactly(taken.id());
        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).as("dead entries are not taken").isEmpty();

        assertThat(outbox.replay(taken.id())).isTrue();
        Entry replayed = outbox.find(taken.id()).orElseThrow();
        assertThat(replayed.state()).isEqualTo(State.PENDING);
        assertThat(replayed.attempts()).isZero();
        assertThat(replayed.lastError()).as("the reason stays for the record").contains("422");
        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).hasSize(1);
        assertThat(outbox.replay(999_999)).isFalse();
    }

    @Test
    void aTaskIsQueuedOncePerPartnerEndpoint() {
        outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("12", "8", Kind.MATCHMAKER, "IRUD");
        assertThatThrownBy(() -> outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD"))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(outbox.forTask("12")).extracting(Entry::endpointId).containsExactly("7", "8");
    }

    @Test
    void countsAndTheOldestWaitingEntryPerPartnerAreWhatTheOperatorAndTheHealthSee() {
        outbox.enqueue("1", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("2", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("3", "9", Kind.FHIR_REST, "登録機関");
        Entry done = outbox.claimDue(1, Duration.ofMinutes(1)).get(0);
        outbox.delivered(done.id());

        assertThat(outbox.countsByState()).containsEntry("pending", 2).containsEntry("delivered", 1);
        assertThat(outbox.oldestPendingByPartner()).containsOnlyKeys("IRUD", "登録機関");
        assertThat(outbox.forTask(done.taskId())).singleElement()
                .satisfies(entry -> assertThat(entry.finishedAt()).isNotNull());
    }

    @Test
    void thePseudonymKeyIsMadeOnceAndSharedThroughTheDatabase() {
        String key = outbox.pseudonymKey();
        assertThat(key).matches("[0-9a-f]{64}");
        assertThat(outbox.pseudonymKey()).isEqualTo(key);
    }
}
