package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.batch2.api.IReductionStepExecutorService;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.dao.ITransactionProcessorVersionAdapter;
import ca.uhn.fhir.jpa.interceptor.ForceOffsetSearchModeInterceptor;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.search.HapiHSearchAnalysisConfigurers;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneBackendSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneIndexSettings;
import org.hibernate.search.engine.cfg.BackendSettings;
import org.hibernate.search.mapper.orm.cfg.HibernateOrmMapperSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * HAPI FHIR JPA for R4: HAPI's own configuration classes plus the beans they expect the
 * application to supply (storage settings, entity manager factory, transaction manager). Settings we do not expose are fixed here, each with its reason.
 * {@code SubscriptionChannelConfig} is needed by HAPI's JPA beans even without subscriptions; the subscription
 * machinery itself and its {@code SubscriptionSettings} are wired by {@code jp.nanbyo.fhir.server.subscription}.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    ThreadPoolFactoryConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class
})
class JpaPlatformConfig {

    @Bean
    JpaStorageSettings jpaStorageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        // `:contains` on strings is part of our API (Japanese names are searched by any part).
        settings.setAllowContainsSearches(true);
        // A search must see the writes before it; HAPI would otherwise replay a cached result for 60 s.
        settings.setReuseCachedSearchResultsForMillis(null);
        // References must point at resources that exist; no placeholder targets are invented.
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        // Our code systems (up to ~800 concepts) are stored at once, so validation and $expand work right after start-up.
        settings.setDeferIndexingForCodesystemsOfSize(5_000);
        // Resources are searched with the database's indexes; the full-text index holds terminology only.
        settings.setHibernateSearchIndexFullText(false);
        return settings;
    }

    /**
     * Searches run as offset queries (pages by {@code _offset}) in a read-only transaction. HAPI's default
     * stores every search's matches in its search tables for paging, a write per read even when the answer
     * fits one page; directory and worklist searches are small and asked often, so that write costs more
     * than it saves. {@code Bundle.total} is given when the answer fits the page, or with {@code _total=accurate}.
     */
    @Bean
    ForceOffsetSearchModeInterceptor unstoredSearches(IInterceptorService storageInterceptors, NanbyoProperties properties) {
        ForceOffsetSearchModeInterceptor interceptor = new ForceOffsetSearchModeInterceptor();
        interceptor.setDefaultCount(properties.fhir().defaultPageSize());
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    FhirServerCustomizer bundleLimits(NanbyoProperties properties, MeterRegistry metrics) {
        BundleLimits limits = new BundleLimits(properties.fhir().maximumBundleEntries(), properties.fhir().maximumBundleSearches());
        Gauge.builder("nanbyo.fhir.bundle-entries.in-progress", limits, BundleLimits::entriesInProgress)
                .description("Entries of transaction and batch Bundles being processed now").register(metrics);
        return server -> server.registerInterceptor(limits);
    }

    @Bean
    FhirServerCustomizer parameterChecks(ISearchParamRegistry searchParameters) {
        return server -> {
            server.registerInterceptor(new SearchPaging());
            server.registerInterceptor(new SearchModifiers(searchParameters));
            server.registerInterceptor(new UnreadableOperationParameters());
        };
    }

    /** Refused batch entries keep their own OperationOutcome (HAPI's adapter, replaced here, would make it {@code exception}). */
    @Primary
    @Bean
    ITransactionProcessorVersionAdapter<?, ?> batchEntryOutcomes() {
        return new BatchEntryOutcomes();
    }

    /** HAPI never stops its batch2 reducer's threads; without this the JVM outlives a closed context. */
    @Bean
    Batch2ReducerShutdown batch2ReducerShutdown(IReductionStepExecutorService reducer) {
        return new Batch2ReducerShutdown(reducer);
    }

    /** Partitioning is off: one network, one partition. */
    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            DatabaseKind databaseKind,
            NanbyoProperties properties,
            SchemaMigration migratedSchema) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaPropertyMap(hibernateProperties(databaseKind, properties.dataDir()));
        return factory;
    }

    static Map<String, Object> hibernateProperties(DatabaseKind databaseKind, Path dataDir) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AvailableSettings.DIALECT, databaseKind.dialect.getName());
        // The schema belongs to HAPI's migrator (SchemaMigration), never to Hibernate.
        properties.put(AvailableSettings.HBM2DDL_AUTO, "none");
        // HAPI's entities are listed by HAPI; scanning the class path only costs start-up time.
        properties.put(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        properties.put(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        properties.put(AvailableSettings.ORDER_INSERTS, "true");
        properties.put(AvailableSettings.ORDER_UPDATES, "true");
        // Resources are loaded by `IN (pids)`; padding the list to a power of two lets Hibernate reuse the
        // translated query; translating one per list length showed as about a tenth of search CPU in a profile.
        properties.put(AvailableSettings.IN_CLAUSE_PARAMETER_PADDING, "true");
        // HAPI caches what it needs itself; Hibernate's caches would hold stale resources across nodes.
        properties.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        properties.put(AvailableSettings.USE_QUERY_CACHE, "false");
        // HAPI's terminology ($expand with a filter, code lookups in large code systems) needs a full-text
        // index: Lucene, in the data folder. It indexes terminology only, not resources.
        properties.put(HibernateOrmMapperSettings.ENABLED, "true");
        properties.put(BackendSettings.backendKey(BackendSettings.TYPE), "lucene");
        properties.put(BackendSettings.backendKey(LuceneBackendSettings.ANALYSIS_CONFIGURER),
                HapiHSearchAnalysisConfigurers.HapiLuceneAnalysisConfigurer.class.getName());
        properties.put(BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_TYPE), "local-filesystem");
        properties.put(BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_ROOT),
                dataDir.resolve("lucene").toAbsolutePath().toString());
        properties.put(BackendSettings.backendKey(LuceneBackendSettings.LUCENE_VERSION), "LUCENE_CURRENT");
        return properties;
    }

    @Primary
    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
