package jp.nanbyo.fhir.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import ca.uhn.hapi.converters.canonical.SubscriptionTopicCanonicalizer;
import java.io.IOException;
import java.io.InputStream;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which changes reach HAPI's subscription pipeline, with the topics of our real conformance package. */
class SubscribableChangesOnlyTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final SubscriptionTopicRegistry TOPICS = new SubscriptionTopicRegistry();
    static final SubscribableChangesOnly FILTER = new SubscribableChangesOnly(FHIR, TOPICS);

    @BeforeAll
    static void topicsOfThePackage() throws IOException {
        NpmPackage npm = NpmPackage.fromPackage(NanbyoPackage.class.getClassLoader().getResourceAsStream(NanbyoPackage.CLASSPATH_RESOURCE));
        for (String file : npm.list("package")) {
            if (file.startsWith("Basic-")) {
                try (InputStream in = npm.load("package", file)) {
                    IBaseResource topic = FHIR.newJsonParser().parseResource(Basic.class, in);
                    TOPICS.register(SubscriptionTopicCanonicalizer.canonicalizeTopic(FHIR, topic));
                }
            }
        }
        assertThat(TOPICS.size()).as("designation and referral topics").isEqualTo(2);
    }

    @Test
    void changesOfTheTypesOurTopicsTriggerOnGoToMatching() {
        assertThat(FILTER.mayBeSubscribed(change("OrganizationAffiliation/12"))).isTrue();
        assertThat(FILTER.mayBeSubscribed(change("Task/7"))).isTrue();
    }

    @Test
    void subscriptionsAndTopicsGoToHapisOwnListeners() {
        assertThat(FILTER.mayBeSubscribed(change("Subscription/3"))).as("activated from the pipeline").isTrue();
        assertThat(FILTER.mayBeSubscribed(change("Basic/nanbyo-designation-changed"))).as("a topic is loaded from it").isTrue();
    }

    @Test
    void changesNoTopicCanNameStayOut() {
        for (String id : new String[] {"Organization/1", "Location/2", "Provenance/3", "ServiceRequest/4", "Patient/5", "Endpoint/6"}) {
            assertThat(FILTER.mayBeSubscribed(change(id))).as(id).isFalse();
        }
    }

    @Test
    void withoutTopicsOnlySubscriptionsAndTopicsGoThrough() {
        SubscribableChangesOnly none = new SubscribableChangesOnly(FHIR, new SubscriptionTopicRegistry());
        assertThat(none.mayBeSubscribed(change("OrganizationAffiliation/12"))).isFalse();
        assertThat(none.mayBeSubscribed(change("Subscription/3"))).isTrue();
    }

    static ResourceModifiedMessage change(String id) {
        return new ResourceModifiedMessage(new IdType(id + "/_history/1"), OperationTypeEnum.CREATE, null);
    }
}
