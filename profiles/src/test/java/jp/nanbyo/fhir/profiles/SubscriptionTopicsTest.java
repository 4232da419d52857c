package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.hapi.converters.canonical.SubscriptionTopicCanonicalizer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r5.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.hl7.fhir.r5.model.SubscriptionTopic.SubscriptionTopicCanFilterByComponent;
import org.hl7.fhir.r5.model.SubscriptionTopic.SubscriptionTopicResourceTriggerComponent;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every subscription topic of the package is one the server can serve: HAPI FHIR's own R4 reader
 * ({@link SubscriptionTopicCanonicalizer}, what the server's topic loader uses) finds its url, status and
 * triggers; every trigger names an R4 resource type and at least one interaction; every filter a subscriber
 * may use is a search parameter of its resource (R4's or one of ours), and every include of the notification
 * shape a reference parameter. A topic written with a typo fails here, not silently in production.
 */
class SubscriptionTopicsTest {

    private static final FhirContext R4 = FhirContext.forR4Cached();

    @TestFactory
    Stream<DynamicTest> everyTopicIsReadByHapiAndNamesOnlyWhatExists() {
        List<Basic> topics = PackageContents.INSTANCE.topics();
        assertThat(topics).isNotEmpty();
        return topics.stream().map(basic -> DynamicTest.dynamicTest(PackageContents.describe(basic), () -> {
            SubscriptionTopic topic = SubscriptionTopicCanonicalizer.canonicalizeTopic(R4, basic);
            assertThat(topic.getUrl()).isEqualTo(NanbyoPackage.subscriptionTopicUrl(basic.getIdElement().getIdPart()));
            assertThat(topic.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
            assertThat(topic.getTitle()).isNotBlank();
            assertThat(topic.getDescription()).isNotBlank();
            assertThat(topic.getResourceTrigger()).isNotEmpty().allSatisfy(trigger -> {
                assertThat(R4.getResourceTypes()).as("trigger resource").contains(trigger.getResource());
                assertThat(trigger.getSupportedInteraction()).as("interactions of " + trigger.getResource()).isNotEmpty();
            });
            Set<String> triggered = topic.getResourceTrigger().stream()
                    .map(SubscriptionTopicResourceTriggerComponent::getResource)
                    .collect(Collectors.toSet());
            assertThat(topic.getCanFilterBy()).as("a topic says how subscribers narrow it").isNotEmpty();
            for (SubscriptionTopicCanFilterByComponent filter : topic.getCanFilterBy()) {
                assertThat(triggered).as("filter resource").contains(filter.getResource());
                assertThat(searchParameterType(filter.getResource(), filter.getFilterParameter()))
                        .as("%s is a search parameter of %s", filter.getFilterParameter(), filter.getResource())
                        .isPresent();
            }
            topic.getNotificationShape().forEach(shape -> shape.getInclude().forEach(include -> {
                String[] parts = include.getValue().split(":");
                assertThat(parts).as(include.getValue()).hasSize(2);
                assertThat(parts[0]).isEqualTo(shape.getResource());
                assertThat(searchParameterType(parts[0], parts[1])).as(include.getValue())
                        .contains(RestSearchParameterTypeEnum.REFERENCE);
            }));
        }));
    }

    /**
     * HAPI 8.8's validator refuses HL7's cross-version extension URLs (http://hl7.org/fhir/5.0/… and /4.3/…:
     * "invalid Version '5.0'"), the very URLs the Subscriptions Backport IG prescribes for R4 topics and HAPI's
     * own topic loader reads; that one message is accepted (docs/conformance.md), every other error counts.
     */
    @TestFactory
    Stream<DynamicTest> everyTopicIsAValidR4Basic() {
        return PackageContents.INSTANCE.topics().stream().map(topic -> DynamicTest.dynamicTest(PackageContents.describe(topic), () -> {
            List<SingleValidationMessage> messages = NanbyoValidator.validate(topic).stream()
                    .filter(m -> !(m.getMessage().contains("/StructureDefinition/extension-SubscriptionTopic.")
                            && m.getMessage().contains("is not valid (invalid Version")))
                    .toList();
            assertThat(NanbyoValidator.errors(messages))
                    .as("errors of %s:%s", PackageContents.describe(topic), NanbyoValidator.format(messages))
                    .isEmpty();
        }));
    }

    /** The type of search parameter {@code code} on {@code resourceType}: R4's own, or one of the package's. */
    private static Optional<RestSearchParameterTypeEnum> searchParameterType(String resourceType, String code) {
        RuntimeSearchParam core = R4.getResourceDefinition(resourceType).getSearchParam(code);
        if (core != null) {
            return Optional.of(core.getParamType());
        }
        return PackageContents.INSTANCE.conformanceResources().stream()
                .filter(SearchParameter.class::isInstance)
                .map(SearchParameter.class::cast)
                .filter(sp -> code.equals(sp.getCode()) && sp.getBase().stream().anyMatch(b -> resourceType.equals(b.getCode())))
                .map(sp -> RestSearchParameterTypeEnum.forCode(sp.getType().toCode()))
                .findFirst();
    }
}
