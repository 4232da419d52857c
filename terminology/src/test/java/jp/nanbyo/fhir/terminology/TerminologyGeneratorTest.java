package jp.nanbyo.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminologyGeneratorTest {

    private final GeneratedPackage generated = GeneratedPackage.fromReviewedTables();

    @Test
    void writesOneFilePerResourceAndAnIndexListingThem() throws IOException {
        try (Stream<Path> files = Files.list(generated.folder())) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(generated.index());
        }
        assertThat(generated.index()).hasSize(34).contains("CodeSystem-nanbyo-shitei-nanbyo.json",
                "ValueSet-nanbyo-prefecture.json", "ConceptMap-nanbyo-shitei-nanbyo-to-orpha.json");
        generated.byFileName().forEach((name, resource) -> assertThat(name)
                .isEqualTo(resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json"));
    }

    @Test
    void everyResourceIsActiveWithItsCanonicalUrlAndNameDerivedFromItsId() {
        for (MetadataResource resource : generated.byFileName().values()) {
            String id = resource.getIdElement().getIdPart();
            String expectedUrl = id.equals("jp-prefecture-no") ? JpCoreSystems.PREFECTURE_NO
                    : NanbyoCanonical.url(resource.fhirType(), id);
            assertThat(resource.getUrl()).as(id).isEqualTo(expectedUrl);
            assertThat(resource.getName()).as(id).isEqualTo(NanbyoCanonical.name(id));
            assertThat(resource.getStatus()).as(id).isEqualTo(PublicationStatus.ACTIVE);
            assertThat(resource.getExperimental()).as(id).isFalse();
            assertThat(resource.getPublisher()).as(id).isEqualTo("Nanbyo FHIR project");
            assertThat(resource.getDateElement().getValueAsString()).as(id).isEqualTo(TerminologyPackage.DATE);
            assertThat(resource.getTitle()).as(id).isNotBlank();
            assertThat(resource.getDescription()).as(id).isNotBlank();
            assertThat(resource.getVersion()).as(id)
                    .isEqualTo(resource.getUrl().endsWith("CodeSystem/nanbyo-shoman-disease") ? "2021-snapshot"
                            : TerminologyPackage.VERSION);
        }
    }

    @Test
    void everyCodeSystemIsCompleteWithAValueSetOfAllItsCodes() {
        for (MetadataResource resource : generated.byFileName().values()) {
            if (resource instanceof CodeSystem codeSystem) {
                assertThat(codeSystem.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
                assertThat(codeSystem.getCaseSensitive()).isTrue();
                String valueSetId = codeSystem.getValueSet().substring(codeSystem.getValueSet().lastIndexOf('/') + 1);
                ValueSet valueSet = (ValueSet) generated.byFileName().get("ValueSet-" + valueSetId + ".json");
                assertThat(valueSet).as(codeSystem.getId()).isNotNull();
                assertThat(valueSet.getCompose().getInclude()).singleElement().satisfies(include -> {
                    assertThat(include.getSystem()).isEqualTo(codeSystem.getUrl());
                    assertThat(include.getConcept()).isEmpty();
                    assertThat(include.getFilter()).isEmpty();
                });
            }
        }
        assertThat(generated.byFileName().get("ValueSet-nanbyo-prefecture.json"))
                .extracting(MetadataResource::getUrl).isEqualTo("http://nanbyo.jp/fhir/ValueSet/nanbyo-prefecture");
    }

    @Test
    void aNewDesignationRoleIsOneMoreCsvRow(@TempDir Path csv, @TempDir Path out) throws IOException {
        copyCsvFolder(csv);
        Files.writeString(csv.resolve("designation-roles.csv"),
                "tokyo-example-role,東京都の独自区分,Example role (Tokyo),例。,prefecture-specific,13\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        GeneratedPackage withRole = GeneratedPackage.generate(csv, out);

        assertThat(withRole.codes("nanbyo-designation-role")).hasSize(11).endsWith("tokyo-example-role");
        assertThat(withRole.property("nanbyo-designation-role", "tokyo-example-role", "prefecture"))
                .containsExactly("13");
    }

    @Test
    void failsOnADiseaseGroupThatIsNotADiseaseField(@TempDir Path csv) throws IOException {
        copyCsvFolder(csv);
        replaceInFile(csv.resolve("shitei-nanbyo.csv"), "1,球脊髄性筋萎縮症,神経・筋疾患,", "1,球脊髄性筋萎縮症,神経疾患,");

        assertThatIllegalArgumentException().isThrownBy(() -> new TerminologyGenerator(csv).generate())
                .withMessageContaining("shitei-nanbyo.csv:3").withMessageContaining("'神経疾患'")
                .withMessageContaining("nanbyo-disease-field");
    }

    @Test
    void failsOnACodeUsedTwice(@TempDir Path csv) throws IOException {
        copyCsvFolder(csv);
        Files.writeString(csv.resolve("delivery-methods.csv"), "online,オンライン（再）,Online again,重複。\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThatIllegalArgumentException().isThrownBy(() -> new TerminologyGenerator(csv).generate())
                .withMessage("delivery-methods.csv:5: code 'online' is already used in nanbyo-delivery-method");
    }

    @Test
    void replacesWhatAnEarlierRunLeft(@TempDir Path out) throws IOException {
        Path folder = Files.createDirectories(out.resolve(TerminologyPackage.CLASSPATH_FOLDER));
        Files.writeString(folder.resolve("CodeSystem-nanbyo-renamed-away.json"), "{}");

        GeneratedPackage again = GeneratedPackage.generate(GeneratedPackage.CSV_FOLDER, out);

        assertThat(folder.resolve("CodeSystem-nanbyo-renamed-away.json")).doesNotExist();
        assertThat(again.index()).hasSize(34);
    }

    @Test
    void otherModulesFindTheFilesThroughTheIndexOnTheClasspath() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {generated.classesFolder().toUri().toURL()}, null)) {
            List<String> names = TerminologyPackage.fileNames(loader);

            assertThat(names).isEqualTo(generated.index());
            assertThat(loader.getResource(TerminologyPackage.CLASSPATH_FOLDER + names.get(0))).isNotNull();
        }
    }

    private static void copyCsvFolder(Path target) throws IOException {
        try (Stream<Path> files = Files.list(GeneratedPackage.CSV_FOLDER)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    private static void replaceInFile(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }
}
