package jp.nanbyo.fhir.profiles.build;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an R4 subscription topic looks in the package (FHIR Subscriptions Backport IG): a {@code Basic} coded
 * {@code http://hl7.org/fhir/fhir-types#SubscriptionTopic}, its SubscriptionTopic elements as HL7's
 * cross-version extensions (url, status as a modifier extension, …), as HAPI FHIR's R4 topic loader reads it.
 */
final class SubscriptionTopics {

    /** The resource type a topic stands for, which its canonical URL names. */
    static final String TYPE = "SubscriptionTopic";

    static final String URL_EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url";
    static final String STATUS_EXTENSION = "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.status";

    private SubscriptionTopics() {
    }

    static boolean isTopic(JsonNode resource) {
        if (!"Basic".equals(resource.path("resourceType").asText())) {
            return false;
        }
        for (JsonNode coding : resource.path("code").path("coding")) {
            if ("http://hl7.org/fhir/fhir-types".equals(coding.path("system").asText()) && TYPE.equals(coding.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    static String url(JsonNode topic) {
        return extensionValue(topic.path("extension"), URL_EXTENSION, "valueUri");
    }

    static String status(JsonNode topic) {
        return extensionValue(topic.path("modifierExtension"), STATUS_EXTENSION, "valueCode");
    }

    /**
     * The value of the topic's one identifier if its system is {@code urn:ietf:rfc:3986}, else empty (HAPI's
     * installer takes the single identifier of a resource without {@code url} to find it again).
     */
    static String identifier(JsonNode topic) {
        JsonNode identifiers = topic.path("identifier");
        if (identifiers.size() != 1 || !"urn:ietf:rfc:3986".equals(identifiers.get(0).path("system").asText())) {
            return "";
        }
        return identifiers.get(0).path("value").asText("");
    }

    private static String extensionValue(JsonNode extensions, String url, String valueElement) {
        for (JsonNode extension : extensions) {
            if (url.equals(extension.path("url").asText())) {
                return extension.path(valueElement).asText("");
            }
        }
        return "";
    }
}
