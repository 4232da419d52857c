package jp.nanbyo.fhir.profiles.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.profiles.build.PackageAssembler.Input;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

class PackageAssemblerTest {

    private static Input resource(String fileName, String json) {
        return new Input("test " + fileName, fileName, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Input profile(String id, String status) {
        return resource("StructureDefinition-" + id + ".json", """
                {"resourceType": "StructureDefinition", "id": "%s", "url": "%s", "status": "%s"}
                """.formatted(id, NanbyoPackage.profileUrl(id), status));
    }

    @Test
    void failsTheBuildOnAConformanceResourceThatIsNotActive() {
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(profile("nanbyo-hospital", "draft"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StructureDefinition-nanbyo-hospital.json: status is 'draft', must be 'active'");
    }

    @Test
    void failsTheBuildOnAFileNotNamedTypeDashId() {
        Input misnamed = resource("nanbyo-hospital.json",
                "{\"resourceType\": \"StructureDefinition\", \"id\": \"nanbyo-hospital\", \"status\": \"active\"}");
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(misnamed)))
                .hasMessageContaining("file name must be StructureDefinition-nanbyo-hospital.json");
    }

    @Test
    void failsTheBuildOnOneOfOurUrlsNotDerivedFromTheId() {
        Input wrongUrl = resource("ValueSet-nanbyo-x.json", """
                {"resourceType": "ValueSet", "id": "nanbyo-x", "url": "http://nanbyo.jp/fhir/ValueSet/nanbyo-y", "status": "active"}
                """);
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(wrongUrl)))
                .hasMessageContaining("is not http://nanbyo.jp/fhir/ValueSet/nanbyo-x");
    }

    @Test
    void failsTheBuildWhenTwoResourcesWouldShareAFile() {
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(profile("nanbyo-a", "active"), profile("nanbyo-a", "active"))))
                .hasMessageContaining("is also produced by");
    }

    @Test
    void writesAPackageThatHapiReadsWithExamplesOutsideTheInstalledFolder() throws Exception {
        Input example = resource("Organization-gunma-prefecture.json",
                "{\"resourceType\": \"Organization\", \"id\": \"gunma-prefecture\", \"name\": \"群馬県\"}");
        Map<String, byte[]> entries = PackageAssembler.assemble(List.of(profile("nanbyo-hospital", "active"), example));
        assertThat(entries).containsKeys("package/package.json", "package/.index.json",
                "package/StructureDefinition-nanbyo-hospital.json", "package/example/Organization-gunma-prefecture.json");

        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        PackageAssembler.writeTgz(entries, tgz);
        NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(tgz.toByteArray()));
        assertThat(npm.name()).isEqualTo("jp.nanbyo.fhir");
        assertThat(npm.version()).isEqualTo("0.1.0");
        assertThat(npm.fhirVersion()).isEqualTo("4.0.1");
        assertThat(npm.dependencies()).containsExactly("hl7.fhir.r4.core#4.0.1");
        assertThat(npm.canonical()).isEqualTo("http://nanbyo.jp/fhir");
        assertThat(npm.listResources("StructureDefinition")).containsExactly("StructureDefinition-nanbyo-hospital.json");
        assertThat(npm.listResources("Organization")).isEmpty();
    }

    private static Input topic(String id, String url, String identifier, String status) {
        return resource("Basic-" + id + ".json", """
                {"resourceType": "Basic", "id": "%s",
                 "identifier": [{"system": "urn:ietf:rfc:3986", "value": "%s"}],
                 "code": {"coding": [{"system": "http://hl7.org/fhir/fhir-types", "code": "SubscriptionTopic"}]},
                 "modifierExtension": [{"url": "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.status", "valueCode": "%s"}],
                 "extension": [{"url": "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url", "valueUri": "%s"}]}
                """.formatted(id, identifier, status, url));
    }

    @Test
    void aSubscriptionTopicIsAConformanceResourceInstalledFromPackage() throws Exception {
        String url = NanbyoPackage.subscriptionTopicUrl("nanbyo-x-changed");
        Input otherBasic = resource("Basic-note.json", "{\"resourceType\": \"Basic\", \"id\": \"note\"}");
        Map<String, byte[]> entries = PackageAssembler.assemble(List.of(topic("nanbyo-x-changed", url, url, "active"), otherBasic));
        assertThat(entries).containsKeys("package/Basic-nanbyo-x-changed.json", "package/example/Basic-note.json");
    }

    @Test
    void failsTheBuildOnATopicNotActiveOrNotAtItsUrl() {
        String url = NanbyoPackage.subscriptionTopicUrl("nanbyo-x-changed");
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(topic("nanbyo-x-changed", url, url, "draft"))))
                .hasMessageContaining("Basic-nanbyo-x-changed.json: status is 'draft', must be 'active'");
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(topic("nanbyo-x-changed", url + "-typo", url + "-typo", "active"))))
                .hasMessageContaining("is not http://nanbyo.jp/fhir/SubscriptionTopic/nanbyo-x-changed");
        assertThatThrownBy(() -> PackageAssembler.assemble(List.of(topic("nanbyo-x-changed", url, "urn:x", "active"))))
                .hasMessageContaining("a topic has exactly one identifier, urn:ietf:rfc:3986|" + url);
    }

    @Test
    void writesTheSameBytesForTheSameInputs() throws Exception {
        Map<String, byte[]> entries = PackageAssembler.assemble(List.of(profile("nanbyo-hospital", "active")));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        PackageAssembler.writeTgz(entries, first);
        PackageAssembler.writeTgz(PackageAssembler.assemble(List.of(profile("nanbyo-hospital", "active"))), second);
        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
    }
}
