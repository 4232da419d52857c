package jp.nanbyo.fhir.routes.common;

import java.io.IOException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The one error-handling policy that every route opts into with
 * {@code .routeConfigurationId(RouteErrorHandling.ID)}.
 *
 * <p>Transient faults (I/O: the partner or our server is down, a timeout) are retried with
 * exponential back-off; anything else, and a transient fault that outlasts the retries, goes to the
 * dead-letter route with its reason. Nothing is dropped with only a log line.
 */
@Component
public class RouteErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "nanbyo-error-handling";

    private final int maximumRedeliveries;
    private final Duration firstRedeliveryDelay;
    private final Duration maximumRedeliveryDelay;

    public RouteErrorHandling() {
        this(6, Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    RouteErrorHandling(int maximumRedeliveries, Duration firstRedeliveryDelay, Duration maximumRedeliveryDelay) {
        this.maximumRedeliveries = maximumRedeliveries;
        this.firstRedeliveryDelay = firstRedeliveryDelay;
        this.maximumRedeliveryDelay = maximumRedeliveryDelay;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(IOException.class)
                .maximumRedeliveries(maximumRedeliveries)
                .redeliveryDelay(firstRedeliveryDelay.toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maximumRedeliveryDelay.toMillis())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                // Counted here: Camel clears its redelivery headers before the dead-letter route runs.
                .onRedelivery(exchange -> exchange.setProperty(DeadLetterRoute.REDELIVERIES,
                        exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER)))
                .handled(true)
                .to(DeadLetterRoute.ENDPOINT)
                .end()
                .onException(Exception.class)
                .handled(true)
                .to(DeadLetterRoute.ENDPOINT)
                .end();
    }
}
