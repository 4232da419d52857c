package jp.nanbyo.fhir.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The referral exchange (docs/integration/referral-exchange.md): the outbox in the server's database, the delivery
 * route, the operator's listing and replay, the health indicator. Off with {@code nanbyo.referral-exchange.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReferralExchangeProperties.class)
@ConditionalOnProperty(prefix = "nanbyo.referral-exchange", name = "enabled", matchIfMissing = true)
public class ReferralExchangeConfig {

    /** Our own server answers the reads and the Task update of one delivery well within this. */
    private static final int LOCAL_TIMEOUT_MILLIS = 60_000;

    @Bean
    public ReferralOutbox referralOutbox(DataSource dataSource) {
        ReferralOutbox outbox = new ReferralOutbox(dataSource);
        outbox.createTablesIfAbsent();
        return outbox;
    }

    /**
     * Not with {@code deliver=false}: then another process, sharing the database, delivers. Metrics go to the
     * application's registry, else to Micrometer's global one, to which Spring Boot binds every registry it
     * configures (Prometheus here): a registry of our own would be seen by nobody.
     */
    @Bean
    @ConditionalOnProperty(prefix = "nanbyo.referral-exchange", name = "deliver", matchIfMissing = true)
    ReferralExchangeRoutes referralExchangeRoutes(ReferralExchangeProperties properties, ReferralOutbox outbox,
            LocalServer local, DeliveryStatusRecorder recorder, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<MeterRegistry> metrics) throws NoSuchAlgorithmException {
        FhirContext fhir = local.fhirContext();
        SSLContext tls = sslContext(properties, sslBundles.getIfAvailable());
        HttpClient partners = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirected POST would lose its body
                .sslContext(tls)
                .build();
        Pseudonyms pseudonyms = new Pseudonyms(properties.pseudonymSystem(),
                properties.pseudonymKey().isBlank() ? outbox.pseudonymKey() : properties.pseudonymKey());
        ReferralDelivery delivery = new ReferralDelivery(properties, outbox, new ReferralPackageReader(local),
                new ReferralToPartnerBundleMapper(properties.senderIdentifierSystem(), pseudonyms),
                new FhirPartnerClient(partners, properties.connectTimeout(), properties.readTimeout(), fhir),
                new MatchmakerSender(properties, tls, pseudonyms),
                recorder, metrics.getIfUnique(() -> Metrics.globalRegistry));
        return new ReferralExchangeRoutes(properties, outbox, delivery);
    }

    /** This server as a REST client, for the deliveries and for what the operator's replay shows on the Task. */
    @Bean
    LocalServer referralExchangeLocalServer(ReferralExchangeProperties properties, Environment environment) {
        FhirContext fhir = FhirContext.forR4(); // its own: the client settings below are per context
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setSocketTimeout(LOCAL_TIMEOUT_MILLIS);
        return new LocalServer(fhir, properties.fhirBaseUrl(), environment);
    }

    @Bean
    DeliveryStatusRecorder referralDeliveryStatusRecorder(LocalServer local, ReferralOutbox outbox) {
        return new DeliveryStatusRecorder(local, outbox);
    }

    @Bean
    ReferralExchangeController referralExchangeController(ReferralOutbox outbox, DeliveryStatusRecorder recorder) {
        return new ReferralExchangeController(outbox, recorder);
    }

    /** Named so that /actuator/health shows it as {@code referralExchange} (Spring drops "HealthIndicator", not "Health"). */
    @Bean
    ReferralExchangeHealth referralExchangeHealthIndicator(ReferralExchangeProperties properties, ReferralOutbox outbox) {
        return new ReferralExchangeHealth(properties, outbox);
    }

    private static SSLContext sslContext(ReferralExchangeProperties properties, SslBundles bundles) throws NoSuchAlgorithmException {
        if (properties.sslBundle().isBlank()) {
            return SSLContext.getDefault();
        }
        try {
            if (bundles == null) {
                throw new NoSuchSslBundleException(properties.sslBundle(), "no SSL bundles are configured");
            }
            return bundles.getBundle(properties.sslBundle()).createSslContext();
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("nanbyo.referral-exchange.ssl-bundle " + properties.sslBundle()
                    + " is not configured under spring.ssl.bundle", e);
        }
    }
}
