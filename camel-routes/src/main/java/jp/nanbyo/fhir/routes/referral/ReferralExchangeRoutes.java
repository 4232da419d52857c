package jp.nanbyo.fhir.routes.referral;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox.Entry;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox ({@link ReferralOutbox}) to the partners: every {@code poll-interval}, as soon as a referral
 * queued on this node commits, and as soon as a delivery slot frees, the route takes as many due entries as it has
 * free delivery slots ({@code concurrency}) and hands each to {@link ReferralDelivery} on its own thread, so that a
 * slow partner holds only its own slots and the next look is never late. A slot is held until the outcome is in the
 * outbox; showing it on the Task follows on the same thread, the slot already free for the next entry. The poll finds
 * what other nodes queued, retries that have come due, and entries a busy look left behind. Retries and dead letters
 * are the outbox's (per entry, with back-off, visible on the Task), not Camel's redelivery: an entry survives a
 * restart, a redelivery held in memory would not.
 */
class ReferralExchangeRoutes extends RouteBuilder {

    static final String ROUTE_ID = "referral-exchange";

    private static final Logger log = LoggerFactory.getLogger(ReferralExchangeRoutes.class);

    private final ReferralExchangeProperties properties;
    private final ReferralOutbox outbox;
    private final ReferralDelivery delivery;
    private final AtomicInteger underWay = new AtomicInteger();
    /** A look asked for and not yet begun: a burst of commits makes one look, not one each. */
    private final AtomicBoolean lookAsked = new AtomicBoolean();
    private volatile boolean outboxUnreadable;
    private ExecutorService deliveries;
    private ExecutorService looks;

    ReferralExchangeRoutes(ReferralExchangeProperties properties, ReferralOutbox outbox, ReferralDelivery delivery) {
        this.properties = properties;
        this.outbox = outbox;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        // Twice the slots: a thread whose slot is free may still be showing its delivery on the Task.
        deliveries = getContext().getExecutorServiceManager().newFixedThreadPool(this, ROUTE_ID, 2 * properties.concurrency());
        looks = getContext().getExecutorServiceManager().newSingleThreadExecutor(this, ROUTE_ID + "-look");
        outbox.whenDue(this::askForALook);
        from("timer:" + ROUTE_ID + "?delay=1000&period=" + properties.pollInterval().toMillis() + "&fixedRate=false")
                .routeId(ROUTE_ID)
                .process(exchange -> deliverDue());
    }

    /** A look soon, on the look thread: a burst of asks makes one look. None once the route is stopping. */
    private void askForALook() {
        if (lookAsked.compareAndSet(false, true)) {
            try {
                looks.execute(() -> {
                    lookAsked.set(false);
                    deliverDue();
                });
            } catch (RejectedExecutionException stopping) {
                // Due entries stay in the outbox for the next start (or another node).
            }
        }
    }

    /** One look at a time (the poll's, a commit's or a freed slot's), so the free slots counted are the slots taken. */
    private synchronized void deliverDue() {
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
                Runnable showOnTheTask;
                try {
                    showOnTheTask = delivery.deliver(entry);
                } finally {
                    underWay.decrementAndGet();
                }
                askForALook(); // a look may have left due entries for want of a slot: one is free now
                showOnTheTask.run();
            });
        }
    }
}
