package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.jpa.term.api.ITermReadSvc;
import ca.uhn.fhir.jpa.validation.ValidatorPolicyAdvisor;
import ca.uhn.fhir.jpa.validation.ValidatorResourceFetcher;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The network's conformance package in the server: installed at start-up, and every write of a
 * resource type that the package profiles is validated against the profile it declares.
 */
@Configuration(proxyBeanMethods = false)
class ConformanceConfig {

    private static final Logger log = LoggerFactory.getLogger(ConformanceConfig.class);

    @Bean
    ConformancePackage conformancePackage() {
        return ConformancePackage.fromClasspath();
    }

    /** Runs once every bean exists and before the web server opens, so no write arrives before the profiles. */
    @Bean
    SmartInitializingSingleton conformancePackageInstallation(
            Batch2JobRegisterer jobDefinitions,
            IPackageInstallerSvc installer,
            IHapiPackageCacheManager packageCache,
            ITermReadSvc terminology,
            ITermDeferredStorageSvc deferredTerminology,
            ConformancePackage conformancePackage,
            ProfileValidatingInterceptor profileValidation,
            FhirContext fhirContext) {
        return () -> {
            // New search parameters start a reindex job, whose definition HAPI only registers at context refresh
            // (registering it early is idempotent).
            jobDefinitions.start();
            new ConformancePackageInstaller(installer, packageCache).install(conformancePackage);
            // A changed CodeSystem's concepts are stored in the background (HAPI defers large code systems); until
            // then a new code (one added to a CSV) fails validation. Store them now, before the first write.
            while (!deferredTerminology.isStorageQueueEmpty(false)) {
                deferredTerminology.saveDeferred();
            }
            // Expanded value sets answer `$expand?filter=` by substring (筋 finds 球脊髄性筋萎縮症); HAPI would
            // otherwise expand them in the background a few minutes later and match word prefixes until then.
            terminology.preExpandDeferredValueSetsToTerminologyTables();
            warmUpValidation(profileValidation, conformancePackage.examples(fhirContext));
        };
    }

    /** The first validation fills the validator's caches; doing it here spares the first client's write several seconds. */
    private static void warmUpValidation(ProfileValidatingInterceptor profileValidation, List<IBaseResource> examples) {
        long started = System.nanoTime();
        try {
            ProfileValidatingInterceptor.WarmUp warmUp = profileValidation.warmUp(examples);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (warmUp.withErrors() > 0) {
                log.warn("Validator ready, but {} of the package's {} examples fail validation on this server: check the"
                        + " package and the stored terminology", warmUp.withErrors(), warmUp.validated());
            } else {
                log.info("Validator ready: the package's {} examples validated in {} ms", warmUp.validated(), millis);
            }
        } catch (RuntimeException e) {
            // Only a head start: the server validates all the same, filling its caches on the first write instead.
            log.warn("Validator warm-up failed; the first write will fill the validator's caches instead", e);
        }
    }

    /** Registered with the storage layer's interceptors, so that every write path is covered. */
    @Bean
    ProfileValidatingInterceptor profileValidatingInterceptor(
            FhirContext fhirContext,
            ConformancePackage conformancePackage,
            IValidationSupport validationSupport,
            ValidatorResourceFetcher resourceFetcher,
            ValidatorPolicyAdvisor policyAdvisor,
            IInterceptorService storageInterceptors) {
        Map<String, List<String>> profiles = conformancePackage.profilesByResourceType(fhirContext);
        // As HAPI's repository validation: references checked through the JPA policy, best practices as warnings.
        PooledInstanceValidator instanceValidator = new PooledInstanceValidator(validationSupport,
                new BaseDefinitionRememberingWorkerContext(validationSupport));
        instanceValidator.setValidatorResourceFetcher(resourceFetcher);
        instanceValidator.setValidatorPolicyAdvisor(policyAdvisor);
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Warning);
        ProfileValidatingInterceptor interceptor = new ProfileValidatingInterceptor(fhirContext, profiles, instanceValidator);
        storageInterceptors.registerInterceptor(interceptor);
        log.info("Validating writes of {} against the network's profiles", profiles.keySet());
        return interceptor;
    }

    @Bean
    IdentifierSystemNormaliser identifierSystemNormaliser(FhirContext fhirContext, IInterceptorService storageInterceptors) {
        IdentifierSystemNormaliser normaliser = new IdentifierSystemNormaliser(fhirContext);
        storageInterceptors.registerInterceptor(normaliser);
        return normaliser;
    }
}
