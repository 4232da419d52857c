package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Kind;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The route's delivery slots, on a real outbox (in-memory H2) and a real Camel context. The delivery is a stand-in
 * that notes what it was handed, finishes it in the outbox, and holds its work on the Task until the test lets it go:
 * ReferralExchangeIT covers real deliveries.
 */
class ReferralExchangeRoutesTest {

    @Test
    void aSlotServesTheNextEntryWhileTheLastOneIsStillBeingShownOnItsTask() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ReferralOutbox outbox = new ReferralOutbox(dataSource);
        outbox.createTablesIfAbsent();
        ReferralExchangeProperties oneSlot = new ReferralExchangeProperties(true, true, "gunma", "", Duration.ofMillis(100), 50,
                1, 10, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofSeconds(10),
                Duration.ofSeconds(30), "", Duration.ofMinutes(5), "", List.of(), "");
        List<String> handed = new CopyOnWriteArrayList<>();
        CountDownLatch tasksMayBeShown = new CountDownLatch(1);
        ReferralDelivery delivery = new ReferralDelivery(oneSlot, outbox, null, null, null, null, null, new SimpleMeterRegistry()) {
            @Override
            Runnable deliver(Entry entry) {
                // Finished in the outbox before it counts as handed: the test reads the outbox once both are handed.
                outbox.delivered(entry.id());
                handed.add(entry.taskId());
                return () -> {
                    try {
                        tasksMayBeShown.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
            }
        };
        outbox.enqueue("1", "7", Kind.FHIR_REST, "IRUD");
        outbox.enqueue("2", "7", Kind.FHIR_REST, "IRUD");

        CamelContext camel = new DefaultCamelContext();
        try {
            camel.addRoutes(new ReferralExchangeRoutes(oneSlot, outbox, delivery));
            camel.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handed.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(handed).as("the second entry is sent while the first one's Task is still being written, with one slot")
                    .containsExactly("1", "2");
            assertThat(outbox.countsByState()).containsEntry("delivered", 2);
        } finally {
            tasksMayBeShown.countDown();
            camel.stop();
        }
    }
}
