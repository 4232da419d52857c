package jp.nanbyo.fhir.terminology;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;

/** The metadata every generated resource carries, set in one place. */
final class Metadata {

    private Metadata() {
    }

    /**
     * Sets id, url, version, name (derived from the id), title, status {@code active} (HAPI's package installer skips
     * any other), experimental, date, publisher and description. Single line breaks in the description are joined.
     */
    static <T extends MetadataResource> T describe(T resource, String id, String url, String version, String title,
                                                   String description) {
        resource.setId(id);
        resource.setUrl(url);
        resource.setVersion(version);
        resource.setName(NanbyoCanonical.name(id));
        resource.setTitle(title);
        resource.setStatus(PublicationStatus.ACTIVE);
        resource.setExperimental(false);
        resource.setDateElement(new DateTimeType(TerminologyPackage.DATE));
        resource.setPublisher(TerminologyPackage.PUBLISHER);
        resource.setDescription(description.strip().replaceAll("(?<!\n)\n(?!\n)", " "));
        return resource;
    }
}
