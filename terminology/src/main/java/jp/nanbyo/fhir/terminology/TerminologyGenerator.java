package jp.nanbyo.fhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Generates our CodeSystems, ValueSets and ConceptMaps from the CSV tables of {@link TerminologyTables}. Run by the
 * build ({@code process-classes}): {@code TerminologyGenerator <csv folder> <classes folder>} writes
 * {@code <ResourceType>-<id>.json} and the index into {@link TerminologyPackage#CLASSPATH_FOLDER} under the classes
 * folder, replacing what an earlier run left there.
 */
public final class TerminologyGenerator {

    private final Path csvFolder;
    private final Map<String, CsvTable> csvByFile = new HashMap<>();

    public TerminologyGenerator(Path csvFolder) {
        this.csvFolder = csvFolder;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: TerminologyGenerator <csv folder> <classes folder>");
        }
        List<MetadataResource> resources = new TerminologyGenerator(Path.of(args[0])).generate();
        Path folder = write(resources, Path.of(args[1]));
        Map<String, Long> counts = resources.stream()
                .collect(Collectors.groupingBy(MetadataResource::fhirType, TreeMap::new, Collectors.counting()));
        System.out.println("Generated " + resources.size() + " terminology resources " + counts + " into " + folder);
    }

    /** Every CodeSystem, then every ValueSet, then every ConceptMap. */
    public List<MetadataResource> generate() {
        CodeSystemFactory codeSystems = new CodeSystemFactory(this::csv);
        List<MetadataResource> resources = new ArrayList<>();
        List<ValueSet> valueSets = new ArrayList<>();
        for (CodeSystemTable table : TerminologyTables.CODE_SYSTEMS) {
            CodeSystem codeSystem = codeSystems.build(table);
            resources.add(codeSystem);
            valueSets.add(allCodesOf(table, codeSystem));
        }
        resources.addAll(valueSets);
        ConceptMapFactory conceptMaps = new ConceptMapFactory(this::csv);
        TerminologyTables.CONCEPT_MAPS.forEach(table -> resources.add(conceptMaps.build(table)));
        return resources;
    }

    /** Writes the resources and the index into the package folder under {@code classesFolder}; returns that folder. */
    public static Path write(List<MetadataResource> resources, Path classesFolder) throws IOException {
        Path folder = Files.createDirectories(classesFolder.resolve(TerminologyPackage.CLASSPATH_FOLDER));
        String generated = "{*.json," + TerminologyPackage.INDEX + "}";
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, generated)) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        IParser json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true);
        List<String> names = new ArrayList<>();
        for (MetadataResource resource : resources) {
            String name = TerminologyPackage.fileName(resource);
            Files.writeString(folder.resolve(name), json.encodeResourceToString(resource) + "\n",
                    StandardCharsets.UTF_8);
            names.add(name);
        }
        Files.write(folder.resolve(TerminologyPackage.INDEX), names, StandardCharsets.UTF_8);
        return folder;
    }

    private static ValueSet allCodesOf(CodeSystemTable table, CodeSystem codeSystem) {
        String id = table.valueSetId();
        ValueSet valueSet = Metadata.describe(new ValueSet(), id, NanbyoCanonical.url("ValueSet", id),
                TerminologyPackage.VERSION, table.title(), "All codes of " + table.title() + ", code system "
                        + codeSystem.getUrl() + ". Its description gives the source, date and confidence.");
        valueSet.getCompose().addInclude().setSystem(codeSystem.getUrl());
        return valueSet;
    }

    private CsvTable csv(String file) {
        return csvByFile.computeIfAbsent(file, name -> {
            try {
                return CsvReader.read(csvFolder.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + csvFolder.resolve(name), e);
            }
        });
    }
}
