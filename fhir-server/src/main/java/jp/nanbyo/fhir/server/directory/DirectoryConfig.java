package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The directory as an mCSD Directory with the Update Option: {@code [type]/_history?_since=} (ITI-91)
 * is HAPI's own; this package documents it in the CapabilityStatement, and lets a resource be deleted
 * although a Provenance names it, which the directory sync needs when a source deletes a resource.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryConfig {

    @Bean
    FhirServerCustomizer directoryHistoryCapability() {
        return server -> server.registerInterceptor(new DirectoryHistoryCapability());
    }

    /** Registered with the storage layer's interceptors, so that every way of deleting is covered. */
    @Bean
    ProvenanceDoesNotBlockDeletes provenanceDoesNotBlockDeletes(IInterceptorService storageInterceptors) {
        ProvenanceDoesNotBlockDeletes interceptor = new ProvenanceDoesNotBlockDeletes();
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
