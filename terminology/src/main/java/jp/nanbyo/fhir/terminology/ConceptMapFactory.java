package jp.nanbyo.fhir.terminology;

import java.util.Arrays;
import java.util.function.Function;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.UriType;

/**
 * Turns a {@link ConceptMapTable} into a ConceptMap with one element per source row that has target codes. Every
 * target is {@code relatedto} (the codes are derived, never asserted equivalent) and says in its comment how it was
 * found.
 */
final class ConceptMapFactory {

    static final String DERIVED = "derived via NANDO→MONDO, not an official mapping";
    static final String UNVERIFIED = "UNVERIFIED: matched by name to an Orphanet label, not an official mapping";

    private final Function<String, CsvTable> csvByFile;

    ConceptMapFactory(Function<String, CsvTable> csvByFile) {
        this.csvByFile = csvByFile;
    }

    ConceptMap build(ConceptMapTable table) {
        CodeSystemTable source = table.source();
        ConceptMap map = Metadata.describe(new ConceptMap(), table.id(), NanbyoCanonical.url("ConceptMap", table.id()),
                TerminologyPackage.VERSION, table.title(), table.description());
        map.setPurpose(table.purpose());
        map.setCopyright(table.copyright());
        map.setSource(new UriType(NanbyoCanonical.url("ValueSet", source.valueSetId())));
        map.setTarget(new UriType(table.targetValueSet()));
        ConceptMapGroupComponent group = map.addGroup().setSource(source.url()).setSourceVersion(source.version())
                .setTarget(table.targetSystem());
        for (CodeSystemTable.Source file : source.sources()) {
            for (CsvTable.Row row : csvByFile.apply(file.file()).rows()) {
                String targets = row.get(table.column());
                if (!targets.isEmpty()) {
                    group.addElement(element(table, file.code().apply(row), row, targets));
                }
            }
        }
        return map;
    }

    private static SourceElementComponent element(ConceptMapTable table, String code, CsvTable.Row row,
                                                  String targets) {
        String how = row.get(ConceptMapTable.MAPPING_SOURCE).contains("UNVERIFIED") ? UNVERIFIED : DERIVED;
        String notes = row.get(ConceptMapTable.NOTES);
        String comment = notes.isEmpty() ? how : how + "; " + notes;
        SourceElementComponent element = new SourceElementComponent().setCode(code)
                .setDisplay(row.get(table.source().columns().display()));
        for (String target : Arrays.stream(targets.split(";")).map(String::trim).toList()) {
            if (!target.startsWith(table.prefix()) || target.length() == table.prefix().length()) {
                throw new IllegalArgumentException(row.where() + ": " + table.column() + " '" + target
                        + "' is not of the form " + table.prefix() + "<code>");
            }
            element.addTarget().setCode(target.substring(table.prefix().length()))
                    .setEquivalence(ConceptMapEquivalence.RELATEDTO).setComment(comment);
        }
        return element;
    }
}
