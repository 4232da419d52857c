package jp.nanbyo.fhir.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import java.util.Set;
import org.hl7.fhir.r5.model.SubscriptionTopic;

/**
 * Hands HAPI's subscription pipeline only the changes a subscription can be about. HAPI stores every change of every
 * resource for matching (a row in HFJ_RESOURCE_MODIFIED with the write), then reads the resource back once per
 * listener to match it: about a fifth of the server's CPU while a national designation list is imported, nearly all
 * of it for hospitals, sites and Provenances that no subscription here can name. Subscriptions on this server are
 * topic-based to our topics only ({@link TopicSubscriptionValidator}), so a change can matter only if a topic
 * triggers on its type, or if it is a Subscription or a topic (R4: {@code Basic}), which HAPI's own listeners
 * register from the pipeline. Topics come from the conformance package, so the types are known at start-up; they
 * are read from the topic registry at each change all the same (two topics: cheap), so no node can disagree.
 */
@Interceptor
final class SubscribableChangesOnly {

    /** Registered by HAPI from their changes on the pipeline: a Subscription's activation, a topic's loading. */
    private static final Set<String> ALWAYS = Set.of("Subscription", "Basic");

    private final FhirContext fhirContext;
    private final SubscriptionTopicRegistry topics;

    SubscribableChangesOnly(FhirContext fhirContext, SubscriptionTopicRegistry topics) {
        this.fhirContext = fhirContext;
        this.topics = topics;
    }

    /** False keeps the change out of the pipeline (HAPI neither stores nor matches it). */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    boolean mayBeSubscribed(ResourceModifiedMessage change) {
        String type = change.getResourceType(fhirContext);
        return type == null || ALWAYS.contains(type) || triggersOn(type);
    }

    private boolean triggersOn(String type) {
        for (SubscriptionTopic topic : topics.getAll()) {
            for (SubscriptionTopic.SubscriptionTopicResourceTriggerComponent trigger : topic.getResourceTrigger()) {
                String resource = trigger.getResource();
                // A trigger names its type plainly (OrganizationAffiliation) or by its definition's URL.
                if (resource != null && (resource.equals(type) || resource.endsWith("/" + type))) {
                    return true;
                }
            }
        }
        return false;
    }
}
