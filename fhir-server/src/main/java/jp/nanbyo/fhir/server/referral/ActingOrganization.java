package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Which organization a caller acts for, until real authentication comes (a later issue): the request header
 * {@value #HEADER}, naming the Organization as {@code Organization/<id>} (a full URL or a version is accepted and
 * stripped). Writes made inside the server (no HTTP request) act for no one and are not checked.
 */
final class ActingOrganization {

    static final String HEADER = "X-Nanbyo-Acting-Organization";

    private ActingOrganization() {
    }

    /** True for writes that came through the REST API (whose caller must say whom it acts for). */
    static boolean isExternal(RequestDetails request) {
        return request != null && !(request instanceof SystemRequestDetails);
    }

    /** The header's Organization as {@code Organization/<id>}, empty when absent or blank. */
    static Optional<String> of(RequestDetails request) {
        String value = request == null ? null : request.getHeader(HEADER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(normalise(value.trim()));
    }

    /** {@code Organization/<id>} for a reference or header value, else the value as given. */
    static String normalise(String reference) {
        IdType id = new IdType(reference);
        if (!id.hasIdPart() || !"Organization".equals(id.getResourceType())) {
            return reference;
        }
        return id.toUnqualifiedVersionless().getValue();
    }

    static String of(Reference reference) {
        return reference == null || !reference.hasReference() ? null : normalise(reference.getReference());
    }

    static boolean isOrganization(String reference) {
        return reference != null && reference.matches("Organization/[A-Za-z0-9\\-.]{1,64}");
    }
}
