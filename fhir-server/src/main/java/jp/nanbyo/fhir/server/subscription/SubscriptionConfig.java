package jp.nanbyo.fhir.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicConfig;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jp.nanbyo.fhir.server.NanbyoProperties;
import jp.nanbyo.fhir.server.platform.FhirServerCustomizer;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Topic-based subscriptions (FHIR R4 Subscriptions Backport IG), delivered by rest-hook (docs/subscriptions.md).
 *
 * <p>HAPI's subscription machinery comes in three configuration classes, and none of them is imported by
 * HAPI's JPA configuration. {@link SubscriptionSubmitterConfig} stores every change for matching and validates
 * Subscriptions, {@link SubscriptionProcessorConfig} matches, activates and delivers. <b>The trap:</b> with those
 * two alone, an R4 topic subscription is accepted, validated and set active, and then never notified, silently:
 * the topic loader (R4: topics are {@code Basic} resources) and the topic matcher live in
 * {@link SubscriptionTopicConfig}, which must be imported explicitly (HAPI's beans that need it are lazy, so
 * nothing fails at start-up without it). Here its absence stops the start-up, since {@link TopicSubscriptionValidator}
 * needs the topic registry, and {@code DesignationSubscriptionIT} checks delivery to a real receiver.
 *
 * <p>The topics themselves come from the conformance package (installed with it, never written over REST);
 * adding one needs no code here.
 */
@Configuration(proxyBeanMethods = false)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class, SubscriptionTopicConfig.class})
class SubscriptionConfig {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionConfig.class);

    @Bean
    SubscriptionSettings subscriptionSettings(NanbyoProperties properties) {
        NanbyoProperties.Subscriptions subscriptions = properties.subscriptions();
        SubscriptionSettings settings = new SubscriptionSettings();
        if (subscriptions.enabled()) {
            // Only rest-hook: no email server, no websocket endpoint, no message broker here.
            settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        }
        // Changes are stored with the write (HAPI's table HFJ_RESOURCE_MODIFIED) and handed to matching at this pace.
        settings.setSubscriptionIntervalInMs(subscriptions.submissionInterval().toMillis());
        log.info("Subscriptions {}: rest-hook to {}, changes matched every {}", subscriptions.enabled() ? "on" : "off",
                subscriptions.allowedEndpoints(), subscriptions.submissionInterval());
        return settings;
    }

    /**
     * HAPI's processor configuration insists on an email sender; email is not a supported channel type here, so
     * no email subscription is ever accepted and this is never called.
     */
    @Bean
    IEmailSender noEmailSender() {
        return email -> {
            throw new UnsupportedOperationException("Subscriptions by email are not supported on this server");
        };
    }

    /** Registered with the storage layer, so a Subscription written in a transaction is checked as well. */
    @Bean
    TopicSubscriptionValidator topicSubscriptionValidator(
            NanbyoProperties properties,
            SubscriptionTopicRegistry topics,
            ISearchParamRegistry searchParameters,
            InMemoryResourceMatcher inMemoryMatcher,
            DaoRegistry daoRegistry,
            IInterceptorService storageInterceptors) {
        TopicSubscriptionValidator validator = new TopicSubscriptionValidator(
                properties.subscriptions(), topics, searchParameters, inMemoryMatcher, daoRegistry);
        storageInterceptors.registerInterceptor(validator);
        return validator;
    }

    /** Changes no subscription can be about stay out of HAPI's subscription pipeline (see the class). */
    @Bean
    SubscribableChangesOnly subscribableChangesOnly(FhirContext fhirContext, SubscriptionTopicRegistry topics,
            SubscriptionRegistry activeSubscriptions, DaoRegistry daoRegistry, IInterceptorService storageInterceptors) {
        SubscribableChangesOnly filter = new SubscribableChangesOnly(fhirContext, topics, () -> activeSubscriptions.size() > 0,
                () -> !daoRegistry.getResourceDao("Subscription")
                        .search(SearchParameterMap.newSynchronous().setLoadSynchronousUpTo(1), new SystemRequestDetails())
                        .isEmpty());
        storageInterceptors.registerInterceptor(filter);
        return filter;
    }

    /** The CapabilityStatement names the topics and the backport profile (what a subscriber looks for first). */
    @Bean
    FhirServerCustomizer subscriptionTopicsInCapabilityStatement(NanbyoProperties properties, SubscriptionTopicRegistry topics) {
        return server -> {
            if (properties.subscriptions().enabled()) {
                server.registerInterceptor(new TopicCapabilityStatement(topics));
            }
        };
    }
}
