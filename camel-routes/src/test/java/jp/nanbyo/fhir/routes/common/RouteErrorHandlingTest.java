package jp.nanbyo.fhir.routes.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteErrorHandlingTest {

    @TempDir
    Path dataDir;

    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger deliveries = new AtomicInteger();
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void startCamel() throws Exception {
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().addInitialProperty("nanbyo.data-dir", dataDir.toString());
        camel.addRoutes(new RouteErrorHandling(3, Duration.ofMillis(10), Duration.ofMillis(50)));
        camel.addRoutes(new DeadLetterRoute());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flaky").routeId("flaky").routeConfigurationId(RouteErrorHandling.ID)
                        .process(exchange -> {
                            if (attempts.incrementAndGet() <= 2) {
                                throw new ConnectException("partner down");
                            }
                            deliveries.incrementAndGet();
                        });
                from("direct:down").routeId("down").routeConfigurationId(RouteErrorHandling.ID)
                        .process(exchange -> {
                            attempts.incrementAndGet();
                            throw new ConnectException("partner down for good");
                        });
                from("direct:invalid").routeId("invalid").routeConfigurationId(RouteErrorHandling.ID)
                        .process(exchange -> {
                            attempts.incrementAndGet();
                            throw new IllegalArgumentException("row 3: unknown 指定区分");
                        });
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void retriesTransientFaultsUntilTheyPass() {
        producer.sendBody("direct:flaky", "referral-1");

        assertThat(attempts).hasValue(3);
        assertThat(deliveries).hasValue(1);
        assertThat(dataDir.resolve("dead-letter")).doesNotExist();
    }

    @Test
    void deadLettersATransientFaultThatOutlastsTheRetries() throws Exception {
        producer.sendBody("direct:down", "referral-2");

        assertThat(attempts).hasValue(4);
        assertThat(deadLetters("msg")).singleElement().satisfies(file -> assertThat(file).hasContent("referral-2"));
        assertThat(deadLetters("reason.txt")).singleElement().satisfies(file -> assertThat(Files.readString(file))
                .contains("route: down", "java.net.ConnectException: partner down for good", "redeliveries: 3"));
    }

    @Test
    void deadLettersPermanentFaultsAtOnceWithTheirReason() throws Exception {
        producer.sendBody("direct:invalid", "row data");

        assertThat(attempts).hasValue(1);
        assertThat(deadLetters("reason.txt")).singleElement()
                .satisfies(file -> assertThat(Files.readString(file)).contains("unknown 指定区分"));
    }

    private java.util.List<Path> deadLetters(String suffix) throws Exception {
        try (var files = Files.list(dataDir.resolve("dead-letter"))) {
            return files.filter(file -> file.getFileName().toString().endsWith("." + suffix)).toList();
        }
    }
}
