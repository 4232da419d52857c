package jp.nanbyo.fhir.terminology;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.Type;

/**
 * Turns a {@link CodeSystemTable} and its CSV rows into a CodeSystem: one concept per row, the Japanese name as
 * display, the English one as a designation with language {@code en} and no use (R4's designation-use binding is
 * SNOMED CT's, and THO's designation-usage system is unknown to R4 validators: either way every concept would warn),
 * properties as declared. Fails, naming file and line, on an empty or reused code, an empty display, or a property
 * value that the table it refers to lacks.
 */
final class CodeSystemFactory {

    private final Function<String, CsvTable> csvByFile;
    private final Map<String, CodeSystem> generated = new LinkedHashMap<>();

    CodeSystemFactory(Function<String, CsvTable> csvByFile) {
        this.csvByFile = csvByFile;
    }

    CodeSystem build(CodeSystemTable table) {
        CodeSystem codeSystem = Metadata.describe(new CodeSystem(), table.id(), table.url(), table.version(),
                table.title(), table.description());
        codeSystem.setLanguage("ja");
        codeSystem.setCopyright(table.copyright());
        codeSystem.setCaseSensitive(true);
        codeSystem.setValueSet(NanbyoCanonical.url("ValueSet", table.valueSetId()));
        codeSystem.setContent(CodeSystemContentMode.COMPLETE);
        for (PropertyColumn property : table.properties()) {
            if (table.sources().stream().noneMatch(source -> csv(source).hasColumn(property.column()))) {
                throw new IllegalArgumentException(table.id() + ": no source has column '" + property.column() + "'");
            }
            codeSystem.addProperty().setCode(property.code()).setType(property.type())
                    .setDescription(property.description());
        }
        Set<String> codes = new HashSet<>();
        for (CodeSystemTable.Source source : table.sources()) {
            for (CsvTable.Row row : csv(source).rows()) {
                String code = source.code().apply(row);
                if (code.isBlank() || !codes.add(code)) {
                    throw new IllegalArgumentException(row.where() + ": code '" + code + "' is "
                            + (code.isBlank() ? "empty" : "already used in " + table.id()));
                }
                codeSystem.addConcept(concept(table, code, row));
            }
        }
        codeSystem.setCount(codeSystem.getConcept().size());
        generated.put(table.id(), codeSystem);
        return codeSystem;
    }

    private ConceptDefinitionComponent concept(CodeSystemTable table, String code, CsvTable.Row row) {
        CodeSystemTable.Columns columns = table.columns();
        ConceptDefinitionComponent concept = new ConceptDefinitionComponent().setCode(code)
                .setDisplay(row.get(columns.display()));
        if (concept.getDisplay().isEmpty()) {
            throw new IllegalArgumentException(row.where() + ": " + columns.display() + " is empty");
        }
        if (columns.english() != null && !row.getOrEmpty(columns.english()).isEmpty()) {
            concept.addDesignation().setLanguage("en").setValue(row.get(columns.english()));
        }
        if (columns.definition() != null && !row.getOrEmpty(columns.definition()).isEmpty()) {
            concept.setDefinition(row.get(columns.definition()));
        }
        for (PropertyColumn property : table.properties()) {
            for (Type value : property.values(row, generated::get)) {
                concept.addProperty().setCode(property.code()).setValue(value);
            }
        }
        return concept;
    }

    private CsvTable csv(CodeSystemTable.Source source) {
        return csvByFile.apply(source.file());
    }
}
