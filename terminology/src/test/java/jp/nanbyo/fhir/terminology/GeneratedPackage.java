package jp.nanbyo.fhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.MetadataResource;

/** The generator's output for a test: run from a CSV folder into a temporary folder, then parsed back with HAPI. */
record GeneratedPackage(
        Path classesFolder, Path folder, List<String> index, Map<String, MetadataResource> byFileName) {

    static final Path CSV_FOLDER = Path.of("src/main/csv");

    /** The reviewed tables of src/main/csv, generated once per test run (under target/) and shared. */
    static GeneratedPackage fromReviewedTables() {
        return ReviewedTables.GENERATED;
    }

    private static final class ReviewedTables {
        static final GeneratedPackage GENERATED = generate(CSV_FOLDER, newFolderUnderTarget());

        private static Path newFolderUnderTarget() {
            try {
                return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "generated-terminology-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static GeneratedPackage generate(Path csvFolder, Path classesFolder) {
        try {
            Path folder = TerminologyGenerator.write(new TerminologyGenerator(csvFolder).generate(), classesFolder);
            List<String> index = Files.readAllLines(folder.resolve(TerminologyPackage.INDEX), StandardCharsets.UTF_8);
            Map<String, MetadataResource> byFileName = new LinkedHashMap<>();
            for (String name : index) {
                byFileName.put(name, (MetadataResource) FhirContext.forR4Cached().newJsonParser()
                        .parseResource(Files.readString(folder.resolve(name), StandardCharsets.UTF_8)));
            }
            return new GeneratedPackage(classesFolder, folder, index, byFileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CodeSystem codeSystem(String id) {
        return (CodeSystem) byFileName.get("CodeSystem-" + id + ".json");
    }

    ConceptMap conceptMap(String id) {
        return (ConceptMap) byFileName.get("ConceptMap-" + id + ".json");
    }

    List<String> codes(String codeSystemId) {
        return codeSystem(codeSystemId).getConcept().stream().map(CodeSystem.ConceptDefinitionComponent::getCode)
                .toList();
    }

    /** The values of one property of one concept, as strings. */
    List<String> property(String codeSystemId, String code, String property) {
        return codeSystem(codeSystemId).getConcept().stream().filter(concept -> concept.getCode().equals(code))
                .flatMap(concept -> concept.getProperty().stream())
                .filter(value -> value.getCode().equals(property))
                .map(value -> value.getValue().primitiveValue())
                .toList();
    }
}
