package jp.nanbyo.fhir.server.referral;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ActingOrganizationTest {

    static final String BASE = "http://localhost:8080/fhir";

    @Test
    void thisServersFullUrlOrAVersionedReferenceNamesTheSameOrganization() {
        assertThat(ActingOrganization.normalise("Organization/123", BASE)).isEqualTo("Organization/123");
        assertThat(ActingOrganization.normalise("http://localhost:8080/fhir/Organization/123", BASE)).isEqualTo("Organization/123");
        assertThat(ActingOrganization.normalise("http://localhost:8080/fhir/Organization/123/_history/2", BASE + "/"))
                .isEqualTo("Organization/123");
        assertThat(ActingOrganization.normalise("Organization/123/_history/4")).isEqualTo("Organization/123");
        assertThat(ActingOrganization.of(new Reference("Organization/123"))).isEqualTo("Organization/123");
        assertThat(ActingOrganization.of((Reference) null)).isNull();
    }

    @Test
    void anotherServersOrganizationIsNeverOurs() {
        String elsewhere = "https://other.example/fhir/Organization/1492";
        assertThat(ActingOrganization.normalise(elsewhere, BASE)).isEqualTo(elsewhere);
        assertThat(ActingOrganization.isOrganization(ActingOrganization.normalise(elsewhere, BASE))).isFalse();
        // A base that merely starts like ours is another server's.
        assertThat(ActingOrganization.normalise("http://localhost:8080/fhir2/Organization/1492", BASE)).startsWith("http");
        // Without this server's base at hand (writes inside the server), no absolute URL is taken as ours.
        assertThat(ActingOrganization.normalise("http://localhost:8080/fhir/Organization/123")).startsWith("http");
        assertThat(ActingOrganization.of(new Reference(elsewhere), BASE)).isEqualTo(elsewhere);
    }

    @Test
    void onlyOrganizationReferencesCountAsParties() {
        assertThat(ActingOrganization.isOrganization("Organization/123")).isTrue();
        assertThat(ActingOrganization.isOrganization("Practitioner/123")).isFalse();
        assertThat(ActingOrganization.isOrganization("urn:uuid:0b7e1a52-3c8e-4d57-9a39-6f1b2f0c1001")).isFalse();
        assertThat(ActingOrganization.isOrganization(null)).isFalse();
    }

    @Test
    void writesFromInsideTheServerActForNoOneAndAreNotChecked() {
        SystemRequestDetails internal = new SystemRequestDetails();
        assertThat(ActingOrganization.isExternal(internal)).isFalse();
        assertThat(ActingOrganization.isExternal(null)).isFalse();
        assertThat(ActingOrganization.of(internal)).isEmpty();
    }
}
