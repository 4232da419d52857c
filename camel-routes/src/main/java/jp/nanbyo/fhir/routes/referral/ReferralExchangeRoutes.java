package jp.nanbyo.fhir.routes.referral;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox ({@link ReferralOutbox}) to the partners: every {@code poll-interval} the route takes as many
 * due entries as it has free delivery slots ({@code concurrency}) and hands each to {@link ReferralDelivery} on its
 * own thread, so that a slow partner holds only its own slots and the next look is never late. Retries and dead
 * letters are the outbox's (per entry, with back-off, visible on the Task), not Camel's redelivery: an entry
 * survives a restart, a redelivery held in memory would not.
 */
class ReferralExchangeRoutes extends RouteBuilder {

    static final String ROUTE_ID = "referral-exchange";

    private static final Logger log = LoggerFactory.getLogger(ReferralExchangeRoutes.class);

    private final ReferralExchangeProperties properties;
    private final ReferralOutbox outbox;
    private final ReferralDelivery delivery;
    private final AtomicInteger underWay = new AtomicInteger();
    private volatile boolean outboxUnreadable;

    ReferralExchangeRoutes(ReferralExchangeProperties properties, ReferralOutbox outbox, ReferralDelivery delivery) {
        this.properties = properties;
        this.outbox = outbox;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        ExecutorService deliveries = getContext().getExecutorServiceManager()
                .newFixedThreadPool(this, ROUTE_ID, properties.concurrency());
        from("timer:" + ROUTE_ID + "?delay=1000&period=" + properties.pollInterval().toMillis() + "&fixedRate=false")
                .routeId(ROUTE_ID)
                .process(exchange -> deliverDue(deliveries));
    }

    private void deliverDue(ExecutorService deliveries) {
        int free = properties.concurrency() - underWay.get();
        if (free <= 0) {
            return;
        }
        List<Entry> due;
        try {
            due = outbox.claimDue(Math.min(free, properties.batchSize()), properties.lease());
            if (outboxUnreadable) {
                log.info("Referral exchange: the outbox is readable again");
                outboxUnreadable = false;
            }
        } catch (RuntimeException e) {
            // The database is down: nothing was taken, the next look tries again. Said once, not at every look.
            if (!outboxUnreadable) {
                log.warn("Referral exchange: the outbox cannot be read, deliveries wait: {}", e.getMessage());
                outboxUnreadable = true;
            }
            return;
        }
        for (Entry entry : due) {
            underWay.incrementAndGet();
            deliveries.execute(() -> {
                try {
                    delivery.deliver(entry);
                } finally {
                    underWay.decrementAndGet();
                }
            });
        }
    }
}
