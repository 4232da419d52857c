package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import jakarta.persistence.EntityManagerFactory;
import jp.nanbyo.fhir.routes.referral.ReferralOutbox;
import jp.nanbyo.fhir.server.directory.DirectoryGeneration;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/**
 * The referral workflow (docs/referrals.md): ServiceRequest + Task with a state machine the server enforces.
 * Its rules run as a storage hook, so every way of writing a Task (REST, transaction, PATCH) is checked; the
 * inbox, outbox and inquiry threads are plain searches, and notifications come from the package's
 * referral topic (docs/subscriptions.md). Referrals to external partners are queued for the referral exchange by a
 * second hook (docs/integration/referral-exchange.md).
 */
@Configuration(proxyBeanMethods = false)
class ReferralConfig {

    @Bean
    ReferralReader referralReader(DaoRegistry daoRegistry, FhirContext fhirContext, EntityManagerFactory entityManagerFactory) {
        // The shared EntityManager joins the transaction of the write being checked.
        return new ReferralReader(daoRegistry, fhirContext, SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
    }

    @Bean
    ReferralWorkflowInterceptor referralWorkflowInterceptor(ReferralReader reader, IInterceptorService storageInterceptors,
            ObjectProvider<ReferralOutbox> outbox, DirectoryGeneration directoryGeneration) {
        ReferralWorkflowInterceptor interceptor = new ReferralWorkflowInterceptor(new ReferralRules(reader));
        storageInterceptors.registerInterceptor(interceptor);
        // Referrals to external partners are queued when the referral exchange is on (camel-routes' ReferralExchangeConfig).
        outbox.ifAvailable(available -> storageInterceptors.registerInterceptor(
                new ReferralOutboxInterceptor(reader, available, new PartnerEndpointsMemory(directoryGeneration))));
        return interceptor;
    }

    /** Partners' updates of the referrals we sent them, as FHIR messages ({@code $process-message}). */
    @Bean
    FhirServerCustomizer referralMessages(DaoRegistry daoRegistry, ReferralReader reader) {
        return server -> server.registerProvider(new ReferralMessageOperation(daoRegistry, reader));
    }
}
