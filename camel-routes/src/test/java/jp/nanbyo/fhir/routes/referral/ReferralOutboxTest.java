package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Action;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Kind;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.State;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox's own rules on a real (in-memory H2) database; PostgreSQL is exercised by ReferralExchangeIT. */
class ReferralOutboxTest {

    ReferralOutbox outbox;
    JdbcDataSource dataSource;

    @BeforeEach
    void database() {
        dataSource = new JdbcDataSource();
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
    void itsListenersAreToldOfADueEntryOnceItCommitsNeverBeforeAndNotOnRollback() {
        List<String> told = new CopyOnWriteArrayList<>();
        outbox.whenDue(() -> told.add("due"));
        outbox.whenDue(() -> {
            throw new IllegalStateException("a listener that fails must not fail the write");
        });
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        transaction.executeWithoutResult(status -> {
            outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");
            assertThat(told).as("not before the commit: nobody else could take it yet").isEmpty();
        });
        assertThat(told).as("after the commit").containsExactly("due");
        assertThat(outbox.claimDue(10, Duration.ofMinutes(1))).as("and then it can be taken").hasSize(1);

        transaction.executeWithoutResult(status -> {
            outbox.enqueue("13", "7", Kind.FHIR_REST, "IRUD");
            status.setRollbackOnly();
        });
        assertThat(told).as("a rolled-back write queued nothing").hasSize(1);
        assertThat(outbox.forTask("13")).isEmpty();

        outbox.enqueue("14", "7", Kind.FHIR_REST, "IRUD");
        assertThat(told).as("outside a transaction, at once").containsExactly("due", "due");
        Entry taken = outbox.forTask("14").get(0);
        outbox.deadLettered(taken.id(), "refused");
        assertThat(outbox.replay(taken.id())).isTrue();
        assertThat(told).as("a replayed entry is due at once").hasSize(3);
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
    void aCancellationIsQueuedOnceForEachFhirPartnerThatHasOrMayYetGetTheReferral() {
        outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("12", "8", Kind.MATCHMAKER, "IRUD");
        outbox.enqueue("12", "9", Kind.FHIR_REST, "登録機関");
        outbox.enqueue("12", "10", Kind.FHIR_REST, "別の登録機関");
        Entry skipped = outbox.find("12", "10", Action.DELIVER).orElseThrow();
        outbox.skipped(skipped.id(), "the referral is cancelled already");
        Entry delivered = outbox.find("12", "7", Action.DELIVER).orElseThrow();
        outbox.delivered(delivered.id());

        assertThat(outbox.enqueueCancellations("12")).as("7 delivered, 9 pending; 8 is a match query, 10 never sent").isEqualTo(2);
        assertThat(outbox.enqueueCancellations("12")).as("queued once").isZero();
        assertThat(outbox.forTask("12")).filteredOn(entry -> entry.action() == Action.CANCEL)
                .extracting(Entry::endpointId, Entry::state, Entry::partner)
                .containsExactly(tuple("7", State.PENDING, "IRUD"), tuple("9", State.PENDING, "登録機関"));
        assertThat(outbox.find("12", "7", Action.DELIVER).orElseThrow().state()).as("the delivery's record stays").isEqualTo(State.DELIVERED);
        assertThat(outbox.enqueueCancellations("99")).as("a Task never queued").isZero();
    }

    @Test
    void waitingForAnotherEntryGivesTheAttemptBack() {
        outbox.enqueue("12", "7", Kind.FHIR_REST, "IRUD");
        Entry taken = outbox.claimDue(10, Duration.ofMinutes(1)).get(0);
        assertThat(taken.attempts()).isEqualTo(1);
        outbox.postpone(taken.id(), Instant.now(), "waits for the delivery (outbox 1) to finish");

        Entry again = outbox.claimDue(10, Duration.ofMinutes(1)).get(0);
        assertThat(again.attempts()).as("the wait was no attempt").isEqualTo(1);
        assertThat(again.lastError()).contains("waits for the delivery");
    }

    @Test
    void anOutboxFromBeforeCancellationsKeepsItsEntriesAsDeliveriesAndTakesCancellations() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // The table as the first release made it: one entry per (Task, Endpoint), no action column.
        jdbc.execute("CREATE TABLE " + ReferralOutbox.TABLE + " (ID BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                + " TASK_ID VARCHAR(64) NOT NULL, ENDPOINT_ID VARCHAR(64) NOT NULL, KIND VARCHAR(32) NOT NULL,"
                + " PARTNER VARCHAR(200) NOT NULL, STATE VARCHAR(16) NOT NULL, ATTEMPTS INTEGER NOT NULL,"
                + " CREATED_AT TIMESTAMP WITH TIME ZONE NOT NULL, NEXT_ATTEMPT_AT TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " LEASED_UNTIL TIMESTAMP WITH TIME ZONE, FINISHED_AT TIMESTAMP WITH TIME ZONE, LAST_ERROR VARCHAR(2000),"
                + " CONSTRAINT NANBYO_OUTBOX_TASK_ENDPOINT UNIQUE (TASK_ID, ENDPOINT_ID))");
        jdbc.update("INSERT INTO " + ReferralOutbox.TABLE + " (TASK_ID, ENDPOINT_ID, KIND, PARTNER, STATE, ATTEMPTS, CREATED_AT,"
                + " NEXT_ATTEMPT_AT) VALUES ('12', '7', 'fhir-rest', 'IRUD', 'delivered', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");

        ReferralOutbox upgraded = new ReferralOutbox(dataSource);
        upgraded.createTablesIfAbsent();

        assertThat(upgraded.forTask("12")).singleElement().satisfies(entry -> assertThat(entry.action()).isEqualTo(Action.DELIVER));
        assertThat(upgraded.enqueueCancellations("12")).isEqualTo(1);
        assertThatThrownBy(() -> upgraded.enqueue("12", "7", Kind.FHIR_REST, "IRUD"))
                .as("still one delivery per (Task, Endpoint)").isInstanceOf(DataIntegrityViolationException.class);
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
