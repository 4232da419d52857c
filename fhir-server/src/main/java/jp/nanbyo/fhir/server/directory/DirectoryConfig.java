package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The directory's own operations (docs/directory.md): {@code OrganizationAffiliation/$designated} for
 * "who is designated", and {@code $find-care}, the care finder. The directory's searches themselves are
 * HAPI's, driven by the package's SearchParameters.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryConfig {

    @Bean
    DirectoryTerminology directoryTerminology(FhirContext fhirContext) {
        return new DirectoryTerminology(fhirContext);
    }

    @Bean
    DirectoryReader directoryReader(DaoRegistry daoRegistry, FhirContext fhirContext) {
        return new DirectoryReader(daoRegistry, fhirContext);
    }

    @Bean
    FhirServerCustomizer directoryOperations(DirectoryTerminology terminology, DirectoryReader reader) {
        return server -> server.registerProviders(new DesignatedOperation(terminology, reader),
                new CareFinderOperation(terminology, reader));
    }
}
