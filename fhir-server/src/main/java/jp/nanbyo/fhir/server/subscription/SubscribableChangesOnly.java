package jp.nanbyo.fhir.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import java.util.Set;
import java.util.function.BooleanSupplier;
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
 *
 * <p>A change of a triggering type is kept out too while the server has no Subscription at all: HAPI would store it,
 * read it back and match it against the topics, then find no subscriber (a tenth of the CPU of each referral). Once
 * a Subscription is written, it passes through here on its way to activation, and every change after it is matched
 * as before. Subscriptions written before the start are known from the database (asked once), and those written on
 * another node from HAPI's registry of active subscriptions, which HAPI refreshes from the database (HAPI matches a
 * change against that registry, so until then such a change found no subscriber before either).
 */
@Interceptor
final class SubscribableChangesOnly {

    /** Registered by HAPI from their changes on the pipeline: a Subscription's activation, a topic's loading. */
    private static final Set<String> ALWAYS = Set.of("Subscription", "Basic");

    private final FhirContext fhirContext;
    private final SubscriptionTopicRegistry topics;
    private final BooleanSupplier activeOnThisNode;
    private final BooleanSupplier storedInDatabase;
    /** Set once a Subscription is known (never unset: a deleted Subscription only costs matching until a restart). */
    private volatile boolean subscribed;
    private volatile boolean databaseAsked;

    /**
     * @param activeOnThisNode whether HAPI's registry holds an active subscription (in memory: asked at each change)
     * @param storedInDatabase whether any Subscription is stored (a query: asked once, at the first change that needs it)
     */
    SubscribableChangesOnly(FhirContext fhirContext, SubscriptionTopicRegistry topics, BooleanSupplier activeOnThisNode,
            BooleanSupplier storedInDatabase) {
        this.fhirContext = fhirContext;
        this.topics = topics;
        this.activeOnThisNode = activeOnThisNode;
        this.storedInDatabase = storedInDatabase;
    }

    /** False keeps the change out of the pipeline (HAPI neither stores nor matches it). */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    boolean mayBeSubscribed(ResourceModifiedMessage change) {
        String type = change.getResourceType(fhirContext);
        if ("Subscription".equals(type)) {
            subscribed = true;
        }
        return type == null || ALWAYS.contains(type) || (triggersOn(type) && anySubscription());
    }

    private boolean anySubscription() {
        if (!subscribed && !databaseAsked) {
            subscribed |= storedInDatabase.getAsBoolean();
            databaseAsked = true;
        }
        return subscribed || activeOnThisNode.getAsBoolean();
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
