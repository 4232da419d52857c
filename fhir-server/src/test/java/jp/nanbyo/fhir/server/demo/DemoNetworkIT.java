package jp.nanbyo.fhir.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server as the README's run command starts it: embedded H2, demo data by default. The Gunma
 * network and the national bodies are there once it has started, and loading them again (what a
 * restart does) adds nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoNetworkIT {

    static final Path DATA_DIR = TestDataDir.fresh("it-demo-data-");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    DemoNetworkLoader loader;

    @Test
    void theGunmaNetworkIsLoadedOnceAndARestartAddsNothing() {
        IGenericClient fhir = TestFhirClient.of(port);
        assertThat(total(fhir, "Organization?identifier=" + NanbyoIdentifierSystems.NATIONAL_BODY + "|")).isEqualTo(2);
        assertThat(total(fhir, "Organization?type=http://nanbyo.jp/fhir/CodeSystem/nanbyo-organization-type|hospital")).isEqualTo(74);
        assertThat(total(fhir, "OrganizationAffiliation?primary-organization.identifier="
                + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|10&active=true")).isEqualTo(74);
        assertThat(total(fhir, "Location?partof.identifier=http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits|10"))
                .as("Gunma's ten 二次医療圏").isEqualTo(10);
        Bundle hub = fhir.search().byUrl("OrganizationAffiliation?role=http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role|hub-hospital"
                        + "&primary-organization.identifier=" + NanbyoIdentifierSystems.PREFECTURE_NETWORK + "|10"
                        + "&_include=OrganizationAffiliation:participating-organization")
                .returnBundle(Bundle.class).execute();
        assertThat(hub.getEntry()).filteredOn(e -> e.getResource() instanceof Organization)
                .extracting(e -> ((Organization) e.getResource()).getName())
                .containsExactly("群馬大学医学部附属病院");

        int resourcesBefore = total(fhir, "Organization") + total(fhir, "Location") + total(fhir, "OrganizationAffiliation");
        loader.load();
        int resourcesAfter = total(fhir, "Organization") + total(fhir, "Location") + total(fhir, "OrganizationAffiliation");
        assertThat(resourcesAfter).as("loading the demo again adds nothing").isEqualTo(resourcesBefore);
        assertThat(total(fhir, "Provenance")).as("one import recorded").isEqualTo(1);
    }

    private static int total(IGenericClient fhir, String search) {
        String separator = search.contains("?") ? "&" : "?";
        return fhir.search().byUrl(search + separator + "_summary=count").returnBundle(Bundle.class).execute().getTotal();
    }
}
