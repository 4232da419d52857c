package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import jp.nanbyo.fhir.server.NanbyoProperties;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The directory (docs/directory.md): its own operations, {@code OrganizationAffiliation/$designated} for
 * "who is designated" and {@code $find-care}, the care finder; and the mCSD Update Option:
 * {@code [type]/_history?_since=} (ITI-91) is HAPI's own, documented here in the CapabilityStatement, and a
 * resource may be deleted although a Provenance names it, which the directory sync needs when a source
 * deletes a resource. The directory's searches themselves are HAPI's, driven by the package's SearchParameters,
 * except that the "who is designated" search is answered from memory while the directory does not change.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryConfig {

    @Bean
    DirectoryTerminology directoryTerminology(FhirContext fhirContext) {
        return new DirectoryTerminology(fhirContext);
    }

    @Bean
    FhirServerCustomizer directoryOperations(DirectoryTerminology terminology, DirectoryReader reader) {
        return server -> server.registerProviders(new DesignatedOperation(terminology, reader),
                new CareFinderOperation(terminology, reader));
    }

    /** Registered with the storage layer's interceptors, so that every way of writing counts. */
    @Bean
    DirectoryGeneration directoryGeneration(DataSource dataSource, IInterceptorService storageInterceptors) {
        DirectoryGeneration generation = new DirectoryGeneration(dataSource);
        storageInterceptors.registerInterceptor(generation);
        return generation;
    }

    @Bean
    DesignationSearchMemory designationSearchMemory(DaoRegistry daoRegistry, FhirContext fhirContext, DirectoryGeneration generation) {
        return new DesignationSearchMemory(daoRegistry, fhirContext, generation);
    }

    @Bean
    DirectoryReader directoryReader(DaoRegistry daoRegistry, FhirContext fhirContext, DesignationSearchMemory memory) {
        return new DirectoryReader(daoRegistry, fhirContext, memory);
    }

    @Bean
    FhirServerCustomizer inMemoryDesignationSearch(DesignationSearchMemory memory, NanbyoProperties properties, MeterRegistry metrics) {
        return server -> server.registerInterceptor(new InMemoryDesignationSearch(memory,
                properties.fhir().defaultPageSize(), properties.fhir().maximumPageSize(), metrics));
    }

    @Bean
    FhirServerCustomizer dateOnPeriodHint() {
        return server -> server.registerInterceptor(new DateOnPeriodHint());
    }

    @Bean
    FhirServerCustomizer directoryHistoryCapability() {
        return server -> server.registerInterceptor(new DirectoryHistoryCapability());
    }

    /** Registered with the storage layer's interceptors, so that every way of deleting is covered. */
    @Bean
    ProvenanceDoesNotBlockDeletes provenanceDoesNotBlockDeletes(IInterceptorService storageInterceptors,
            JpaStorageSettings storageSettings) {
        ProvenanceDoesNotBlockDeletes interceptor =
                new ProvenanceDoesNotBlockDeletes(storageSettings.getMaximumDeleteConflictQueryCount());
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
