package jp.nanbyo.fhir.routes.common;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Keeps every message that a route gave up on, with the reason, in the dead-letter folder
 * ({@code <data-dir>/dead-letter}): {@code <exchange-id>.msg} holds the message as received and
 * {@code <exchange-id>.reason.txt} the route, the failure and the number of attempts, so that an
 * operator can fix the cause and replay the message.
 */
@Component
public class DeadLetterRoute extends RouteBuilder {

    public static final String ROUTE_ID = "dead-letter";
    public static final String ENDPOINT = "direct:" + ROUTE_ID;

    /** Exchange property: how many redeliveries were tried before giving up (set by RouteErrorHandling). */
    static final String REDELIVERIES = "nanbyoRedeliveries";

    static final String FOLDER = "{{nanbyo.data-dir:data}}/dead-letter";

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .log(LoggingLevel.ERROR,
                        "Dead-lettered exchange ${exchangeId} from route ${fromRouteId}: ${exception.message}")
                .toD("file:" + FOLDER + "?fileName=${exchangeId}.msg")
                .setBody(this::reason)
                .toD("file:" + FOLDER + "?fileName=${exchangeId}.reason.txt");
    }

    private String reason(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer attempts = exchange.getProperty(REDELIVERIES, Integer.class);
        return "route: " + exchange.getFromRouteId() + "\n"
                + "failure: " + (failure == null ? "unknown" : failure.getClass().getName() + ": " + failure.getMessage())
                + "\n"
                + "redeliveries: " + (attempts == null ? 0 : attempts) + "\n";
    }
}
