package jp.nanbyo.fhir.routes.referral;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * {@code /actuator/health} component {@code referralExchange}: per partner, how long its oldest undelivered referral
 * has waited. {@code UP} while every wait is under {@code queue-age-warning}; {@code AMBER} (a status of ours, still
 * HTTP 200: the server works, a partner does not) when one is longer, naming the partner; {@code DOWN} only when the
 * outbox itself cannot be read.
 */
class ReferralExchangeHealth implements HealthIndicator {

    static final Status AMBER = new Status("AMBER", "a partner's referrals wait longer than queue-age-warning");

    private final ReferralExchangeProperties properties;
    private final ReferralOutbox outbox;

    ReferralExchangeHealth(ReferralExchangeProperties properties, ReferralOutbox outbox) {
        this.properties = properties;
        this.outbox = outbox;
    }

    @Override
    public Health health() {
        Map<String, Instant> oldest = outbox.oldestPendingByPartner();
        Instant now = Instant.now();
        Map<String, Object> waiting = new LinkedHashMap<>();
        boolean late = false;
        for (Map.Entry<String, Instant> partner : oldest.entrySet()) {
            Duration age = Duration.between(partner.getValue(), now);
            waiting.put(partner.getKey(), age.toSeconds() + " s");
            late |= age.compareTo(properties.queueAgeWarning()) > 0;
        }
        return Health.status(late ? AMBER : Status.UP)
                .withDetail("oldestWaiting", waiting)
                .withDetail("queueAgeWarning", properties.queueAgeWarning().toSeconds() + " s")
                .build();
    }
}
