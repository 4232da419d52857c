package jp.nanbyo.fhir.server.subscription;

import static ca.uhn.fhir.subscription.SubscriptionConstants.SUBSCRIPTION_TOPIC_PROFILE_URL;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r5.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r5.model.SubscriptionTopic;

/**
 * Says in the CapabilityStatement what a subscriber needs first (Subscriptions Backport IG): the Subscription
 * resource supports the backport profile, and which topics this server has.
 */
@Interceptor
class TopicCapabilityStatement {

    static final String TOPIC_CANONICAL_EXTENSION =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";

    private final SubscriptionTopicRegistry topics;

    TopicCapabilityStatement(SubscriptionTopicRegistry topics) {
        this.topics = topics;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    void describeTopics(IBaseConformance capabilityStatement) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        statement.getRest().stream()
                .flatMap(rest -> rest.getResource().stream())
                .filter(resource -> "Subscription".equals(resource.getType()))
                .forEach(this::describe);
    }

    private void describe(CapabilityStatementRestResourceComponent subscription) {
        if (subscription.getSupportedProfile().stream().noneMatch(p -> SUBSCRIPTION_TOPIC_PROFILE_URL.equals(p.getValue()))) {
            subscription.addSupportedProfile(SUBSCRIPTION_TOPIC_PROFILE_URL);
        }
        subscription.getExtension().removeIf(extension -> TOPIC_CANONICAL_EXTENSION.equals(extension.getUrl()));
        topics.getAll().stream()
                .filter(topic -> topic.getStatus() == PublicationStatus.ACTIVE)
                .map(SubscriptionTopic::getUrl)
                .sorted()
                .forEach(url -> subscription.addExtension(TOPIC_CANONICAL_EXTENSION, new CanonicalType(url)));
    }
}
