package jp.nanbyo.fhir.profiles;

import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.TerminologyPackage;

/**
 * Identity of the network's FHIR NPM package, which the server installs at start-up, and the canonical
 * URLs of what it defines. Every URL is derived from an id of the naming table (docs/naming.md); a test proves
 * each one resolves in the package.
 */
public final class NanbyoPackage {

    public static final String PACKAGE_ID = "jp.nanbyo.fhir";

    /** The NPM version of the package: one version for profiles and terminology, set in TerminologyPackage. */
    public static final String PACKAGE_VERSION = TerminologyPackage.VERSION;

    /** The package's canonical base is the terminology's: one base for every artefact we publish. */
    public static final String CANONICAL = NanbyoCanonical.BASE;

    public static final String FHIR_VERSION = "4.0.1";

    /** Where the package lies on the classpath (inside this module's jar). */
    public static final String CLASSPATH_RESOURCE = "jp/nanbyo/fhir/profiles/nanbyo-package.tgz";

    /** {@link #CLASSPATH_RESOURCE} as HAPI's {@code PackageInstallationSpec.setPackageUrl} expects it. */
    public static final String CLASSPATH_URL = "classpath:/" + CLASSPATH_RESOURCE;

    // Profiles
    public static final String PROFILE_ORGANIZATION = profileUrl("nanbyo-organization");
    public static final String PROFILE_HOSPITAL = profileUrl("nanbyo-hospital");
    public static final String PROFILE_PREFECTURE_GOVERNMENT = profileUrl("nanbyo-prefecture-government");
    public static final String PROFILE_PREFECTURE_NETWORK = profileUrl("nanbyo-prefecture-network");
    public static final String PROFILE_COUNCIL = profileUrl("nanbyo-council");
    public static final String PROFILE_SUPPORT_CENTER = profileUrl("nanbyo-support-center");
    public static final String PROFILE_PUBLIC_HEALTH_CENTER = profileUrl("nanbyo-public-health-center");
    public static final String PROFILE_NATIONAL_BODY = profileUrl("nanbyo-national-body");
    public static final String PROFILE_FACILITY_LOCATION = profileUrl("nanbyo-facility-location");
    public static final String PROFILE_JURISDICTION_LOCATION = profileUrl("nanbyo-jurisdiction-location");
    public static final String PROFILE_HEALTHCARE_SERVICE = profileUrl("nanbyo-healthcare-service");
    public static final String PROFILE_REFERRAL = profileUrl("nanbyo-referral");
    public static final String PROFILE_DESIGNATION = profileUrl("nanbyo-designation");
    public static final String PROFILE_REFERRAL_TASK = profileUrl("nanbyo-referral-task");
    public static final String PROFILE_ENDPOINT = profileUrl("nanbyo-endpoint");
    public static final String PROFILE_PATIENT = profileUrl("nanbyo-patient");
    public static final String PROFILE_REFERRAL_INQUIRY = profileUrl("nanbyo-referral-inquiry");
    public static final String PROFILE_REFERRAL_DOCUMENT = profileUrl("nanbyo-referral-document");

    // Extensions (StructureDefinitions of type Extension)
    public static final String EXTENSION_PREFECTURE = profileUrl("nanbyo-prefecture");
    public static final String EXTENSION_ELIGIBLE_DISEASE = profileUrl("nanbyo-eligible-disease");
    public static final String EXTENSION_ACCEPTING_REFERRALS = profileUrl("nanbyo-accepting-referrals");
    public static final String EXTENSION_DELIVERY_METHOD = profileUrl("nanbyo-delivery-method");

    /** A transition referral's departments and support center (on ServiceRequest). */
    public static final String EXTENSION_TRANSITION_CARE = profileUrl("nanbyo-transition-care");

    /** Why {@code $find-care} proposes a candidate (on {@code Bundle.entry.search}). */
    public static final String EXTENSION_MATCH_REASON = profileUrl("nanbyo-match-reason");

    // Search parameters
    public static final String SEARCH_PARAMETER_ELIGIBLE_DISEASE =
            searchParameterUrl("nanbyo-healthcareservice-eligible-disease");
    public static final String SEARCH_PARAMETER_ACCEPTING_REFERRALS =
            searchParameterUrl("nanbyo-healthcareservice-accepting-referrals");
    public static final String SEARCH_PARAMETER_DELIVERY_METHOD =
            searchParameterUrl("nanbyo-healthcareservice-delivery-method");
    public static final String SEARCH_PARAMETER_ORGANIZATION_PREFECTURE =
            searchParameterUrl("nanbyo-organization-prefecture");
    public static final String SEARCH_PARAMETER_LOCATION_PREFECTURE = searchParameterUrl("nanbyo-location-prefecture");
    /** {@code Communication?about=}: an inquiry thread about a referral (R4 lacks the parameter). */
    public static final String SEARCH_PARAMETER_COMMUNICATION_ABOUT = searchParameterUrl("nanbyo-communication-about");

    // Subscription topics (FHIR Subscriptions R4 backport: a Basic in the package, installed by the server).
    // A new topic needs no constant here; the server reads its topics from the package.
    public static final String SUBSCRIPTION_TOPIC_DESIGNATION_CHANGED = subscriptionTopicUrl("nanbyo-designation-changed");
    public static final String SUBSCRIPTION_TOPIC_REFERRAL_CHANGED = subscriptionTopicUrl("nanbyo-referral-changed");

    private NanbyoPackage() {
    }

    /** The canonical URL of one of our profiles or extensions, e.g. {@code profileUrl("nanbyo-organization")}. */
    public static String profileUrl(String profileId) {
        return NanbyoCanonical.url("StructureDefinition", profileId);
    }

    /** The canonical URL of one of our subscription topics (the type is SubscriptionTopic, though R4 stores a Basic). */
    public static String subscriptionTopicUrl(String topicId) {
        return NanbyoCanonical.url("SubscriptionTopic", topicId);
    }

    /** The canonical URL of one of our search parameters. */
    public static String searchParameterUrl(String searchParameterId) {
        return NanbyoCanonical.url("SearchParameter", searchParameterId);
    }
}
