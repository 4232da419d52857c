package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * How a capability adds itself to the FHIR REST server: a package declares a bean of this type
 * that registers its operation providers and interceptors, so that no central class grows with
 * each feature. Beans are applied in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server);
}
