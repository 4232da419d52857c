package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Terminology operations. CodeSystem {@code $lookup} and {@code $validate-code} and ConceptMap
 * {@code $translate} come with HAPI's resource providers; ValueSet {@code $expand} and
 * {@code $validate-code} are registered here, with Japanese-friendly filtering.
 */
@Configuration(proxyBeanMethods = false)
class TerminologyConfig {

    /** A bean, so that Spring injects the HAPI services its superclass expects. */
    @Bean
    SubstringFilterValueSetOperations substringFilterValueSetOperations() {
        return new SubstringFilterValueSetOperations();
    }

    @Bean
    FhirServerCustomizer terminologyErrorMessages(DaoRegistry daoRegistry) {
        return server -> server.registerInterceptor(new TerminologyErrorMessages(daoRegistry));
    }

    @Bean
    FhirServerCustomizer lookupAnswers(IValidationSupport validationSupport) {
        return server -> server.registerInterceptor(new LookupAnswers(validationSupport));
    }

    @Bean
    FhirServerCustomizer validateCodeMessages() {
        return server -> server.registerInterceptor(new ValidateCodeMessages());
    }

    @Bean
    FhirServerCustomizer valueSetOperations(SubstringFilterValueSetOperations operations) {
        return server -> server.registerProvider(operations);
    }
}
