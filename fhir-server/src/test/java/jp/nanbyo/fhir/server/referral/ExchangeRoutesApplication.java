package jp.nanbyo.fhir.server.referral;

import jp.nanbyo.fhir.routes.referral.ReferralExchangeConfig;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The referral exchange's delivery route alone, as a process of its own sharing the server's database
 * ({@code spring.datasource.url}) and reading the server over FHIR REST: the deployment where routes and server run
 * apart, and a process a test can kill for real mid-delivery. (Not a configuration class: the server's component
 * scan must not find it.)
 */
public final class ExchangeRoutesApplication {

    private ExchangeRoutesApplication() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(CamelAutoConfiguration.class, DataSourceAutoConfiguration.class, SslAutoConfiguration.class,
                ReferralExchangeConfig.class)
                .web(WebApplicationType.NONE)
                .properties("camel.main.run-controller=true") // keep the JVM alive: the route is all it does
                .run(args);
    }
}
