package jp.nanbyo.fhir.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import ca.uhn.hapi.converters.canonical.SubscriptionTopicCanonicalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** A server with a Subscription stored. */
    static final SubscribableChangesOnly FILTER = new SubscribableChangesOnly(FHIR, TOPICS, () -> false, () -> true);

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
        SubscribableChangesOnly none = new SubscribableChangesOnly(FHIR, new SubscriptionTopicRegistry(), () -> true, () -> true);
        assertThat(none.mayBeSubscribed(change("OrganizationAffiliation/12"))).isFalse();
        assertThat(none.mayBeSubscribed(change("Subscription/3"))).isTrue();
    }

    @Test
    void withoutAnySubscriptionNothingIsMatchedUntilOneIsWritten() {
        AtomicInteger databaseAsked = new AtomicInteger();
        SubscribableChangesOnly filter = new SubscribableChangesOnly(FHIR, TOPICS, () -> false, () -> {
            databaseAsked.incrementAndGet();
            return false;
        });
        assertThat(filter.mayBeSubscribed(change("OrganizationAffiliation/12"))).as("nobody to notify").isFalse();
        assertThat(filter.mayBeSubscribed(change("Task/7"))).isFalse();
        assertThat(filter.mayBeSubscribed(change("Basic/nanbyo-designation-changed"))).as("a topic is loaded from it").isTrue();
        assertThat(databaseAsked).as("the database is asked once, not at each change").hasValue(1);

        assertThat(filter.mayBeSubscribed(change("Subscription/3"))).as("on its way to activation").isTrue();
        assertThat(filter.mayBeSubscribed(change("Task/7"))).as("every change after a Subscription is written").isTrue();
        assertThat(filter.mayBeSubscribed(change("OrganizationAffiliation/12"))).isTrue();
        assertThat(filter.mayBeSubscribed(change("Organization/1"))).as("still no topic triggers on it").isFalse();
        assertThat(databaseAsked).hasValue(1);
    }

    @Test
    void subscriptionsStoredBeforeTheStartOrActiveFromAnotherNodeCount() {
        SubscribableChangesOnly storedBefore = new SubscribableChangesOnly(FHIR, TOPICS, () -> false, () -> true);
        assertThat(storedBefore.mayBeSubscribed(change("Task/7"))).isTrue();

        AtomicBoolean active = new AtomicBoolean();
        SubscribableChangesOnly loaded = new SubscribableChangesOnly(FHIR, TOPICS, active::get, () -> false);
        assertThat(loaded.mayBeSubscribed(change("Task/7"))).isFalse();
        active.set(true);
        assertThat(loaded.mayBeSubscribed(change("Task/7"))).as("registered by HAPI's loader from the database").isTrue();
    }

    static ResourceModifiedMessage change(String id) {
        return new ResourceModifiedMessage(new IdType(id + "/_history/1"), OperationTypeEnum.CREATE, null);
    }
}
