package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST server at {@code /fhir}: HAPI's JPA resource and system providers, the instance
 * CapabilityStatement, then whatever the capability packages contribute through
 * {@link FhirServerCustomizer} beans.
 */
@Configuration(proxyBeanMethods = false)
class FhirRestServerConfig {

    static final String SOFTWARE_NAME = "Nanbyo FHIR Server";
    static final String IMPLEMENTATION_DESCRIPTION =
            "難病医療提供体制 FHIR サーバー (FHIR server of Japan's rare-disease care network)";

    @Bean
    RestfulServer fhirRestfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider,
            DatabaseBackedPagingProvider pagingProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            NanbyoProperties properties,
            ObjectProvider<BuildProperties> buildProperties,
            List<FhirServerCustomizer> customizers) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        // Narratives are the sender's business; generating them costs time on every write.
        server.getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
        server.setServerName(SOFTWARE_NAME);
        server.setServerVersion(softwareVersion(buildProperties.getIfAvailable()));
        server.setImplementationDescription(IMPLEMENTATION_DESCRIPTION);
        // JSON unless the client asks for XML (Accept or _format).
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        // Pages are kept in the database, so any node can serve the next page of a search.
        pagingProvider.setDefaultPageSize(properties.fhir().defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.fhir().maximumPageSize());
        server.setPagingProvider(pagingProvider);
        server.setServerAddressStrategy(properties.fhir().publicBaseUrl().isBlank()
                ? new IncomingRequestAddressStrategy()
                : new HardcodedServerAddressStrategy(properties.fhir().publicBaseUrl()));

        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);

        JpaCapabilityStatementProvider capabilityStatement = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilityStatement.setImplementationDescription(IMPLEMENTATION_DESCRIPTION);
        server.setServerConformanceProvider(capabilityStatement);

        customizers.forEach(customizer -> customizer.customize(server));
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    private static String softwareVersion(BuildProperties build) {
        return build == null ? "development" : build.getVersion();
    }
}
