package jp.nanbyo.fhir.server.referral;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Which organization a caller acts for, until real authentication comes (a later issue): the request header
 * {@value #HEADER}, naming one of this server's Organizations as {@code Organization/<id>} (this server's full URL of
 * it, or a version, is accepted and stripped). Writes made inside the server (no HTTP request) act for no one and are
 * not checked.
 *
 * <p>An absolute URL names one of our organizations only when it starts with this server's own base URL
 * ({@link RequestDetails#getFhirServerBase()}): {@code https://other.example/fhir/Organization/1492} is another
 * server's organization 1492, never ours.
 */
final class ActingOrganization {

    static final String HEADER = "X-Nanbyo-Acting-Organization";

    private ActingOrganization() {
    }

    /** True for writes that came through the REST API (whose caller must say whom it acts for). */
    static boolean isExternal(RequestDetails request) {
        return request != null && !(request instanceof SystemRequestDetails);
    }

    /**
     * The header's Organization as {@code Organization/<id>}, empty when absent or blank; 400 when the header names no
     * organization of this server (unreadable, another resource type, or another server's URL).
     */
    static Optional<String> of(RequestDetails request) {
        String value = request == null ? null : request.getHeader(HEADER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String organization = normalise(value.trim(), serverBase(request));
        if (!isOrganization(organization)) {
            throw Outcomes.badRequest(IssueType.VALUE,
                    "ヘッダー " + HEADER + " の値 \"" + value.trim() + "\" は、このサーバーの組織として読めません。"
                            + "Organization/<id> (またはこのサーバーの URL で " + serverBase(request) + "/Organization/<id>) の形で示してください",
                    "the header " + HEADER + " (\"" + value.trim() + "\") names no organization of this server; give it as"
                            + " Organization/<id> (or this server's full URL, " + serverBase(request) + "/Organization/<id>)");
        }
        return Optional.of(organization);
    }

    /**
     * This server's base URL without a trailing slash, for external requests; null inside the server, where an absolute
     * URL is then never taken as ours.
     */
    static String serverBase(RequestDetails request) {
        return isExternal(request) && request.getFhirServerBase() != null ? stripSlash(request.getFhirServerBase()) : null;
    }

    /**
     * {@code Organization/<id>} for a reference to one of this server's Organizations (relative, versioned, or absolute
     * under {@code serverBase}), else the value as given: a URL of another server stays that URL.
     */
    static String normalise(String reference, String serverBase) {
        IdType id = new IdType(reference);
        if (!id.hasIdPart() || !"Organization".equals(id.getResourceType())) {
            return reference;
        }
        if (id.hasBaseUrl() && (serverBase == null || !stripSlash(serverBase).equals(stripSlash(id.getBaseUrl())))) {
            return reference;
        }
        return id.toUnqualifiedVersionless().getValue();
    }

    /** As {@link #normalise(String, String)} where the server's base URL is not at hand: absolute URLs are not ours. */
    static String normalise(String reference) {
        return normalise(reference, null);
    }

    static String of(Reference reference, String serverBase) {
        return reference == null || !reference.hasReference() ? null : normalise(reference.getReference(), serverBase);
    }

    static String of(Reference reference) {
        return of(reference, null);
    }

    static boolean isOrganization(String reference) {
        return reference != null && reference.matches("Organization/[A-Za-z0-9\\-.]{1,64}");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
