package jp.nanbyo.fhir.terminology;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * How one CSV column becomes a concept property (and its declaration in {@code CodeSystem.property}).
 * A column may hold several values separated by {@code ;} (one property per value). A code property may refer to
 * another of our tables, by code or by that table's Japanese display; an unknown value fails the build.
 *
 * @param references id of the table whose codes the values are (or {@code null})
 * @param byDisplay  values are that table's displays, turned into its codes
 */
record PropertyColumn(String code, PropertyType type, String column, String description, boolean multiple,
                      String references, boolean byDisplay) {

    static PropertyColumn string(String code, String column, String description) {
        return new PropertyColumn(code, PropertyType.STRING, column, description, false, null, false);
    }

    static PropertyColumn strings(String code, String column, String description) {
        return new PropertyColumn(code, PropertyType.STRING, column, description, true, null, false);
    }

    static PropertyColumn integer(String code, String column, String description) {
        return new PropertyColumn(code, PropertyType.INTEGER, column, description, false, null, false);
    }

    static PropertyColumn bool(String code, String column, String description) {
        return new PropertyColumn(code, PropertyType.BOOLEAN, column, description, false, null, false);
    }

    /** A code from a small fixed set named in the description. */
    static PropertyColumn code(String code, String column, String description) {
        return new PropertyColumn(code, PropertyType.CODE, column, description, false, null, false);
    }

    /** A code of another of our tables. */
    static PropertyColumn codeOf(String code, String column, CodeSystemTable table, String description) {
        return new PropertyColumn(code, PropertyType.CODE, column, description, false, table.id(), false);
    }

    /** {@code ;}-separated Japanese displays of another of our tables, each stored as that table's code. */
    static PropertyColumn codesByDisplay(String code, String column, CodeSystemTable table, String description) {
        return new PropertyColumn(code, PropertyType.CODE, column, description, true, table.id(), true);
    }

    /** The values of this property for one row; none when the cell is empty or the file lacks the column. */
    List<Type> values(CsvTable.Row row, Function<String, CodeSystem> generatedSystems) {
        String cell = row.getOrEmpty(column);
        if (cell.isEmpty()) {
            return List.of();
        }
        List<String> parts = multiple ? Arrays.stream(cell.split(";")).map(String::trim).toList() : List.of(cell);
        return parts.stream().map(part -> value(part, row, generatedSystems)).toList();
    }

    private Type value(String text, CsvTable.Row row, Function<String, CodeSystem> generatedSystems) {
        return switch (type) {
            case STRING -> new StringType(text);
            case CODE -> new CodeType(
                    references == null ? text : resolve(text, row, generatedSystems.apply(references)));
            case INTEGER -> {
                try {
                    yield new IntegerType(Integer.parseInt(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(row.where() + ": " + column + " '" + text + "' is not a number");
                }
            }
            case BOOLEAN -> switch (text) {
                case "1", "true" -> new BooleanType(true);
                case "0", "false" -> new BooleanType(false);
                default -> throw new IllegalArgumentException(
                        row.where() + ": " + column + " '" + text + "' is not 0/1/true/false");
            };
            default -> throw new IllegalStateException("property type " + type + " is not supported");
        };
    }

    private String resolve(String text, CsvTable.Row row, CodeSystem target) {
        if (target == null) {
            throw new IllegalStateException("table " + references + " must be generated before the one using it");
        }
        return target.getConcept().stream()
                .filter(concept -> text.equals(byDisplay ? concept.getDisplay() : concept.getCode()))
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(row.where() + ": " + column + " '" + text
                        + "' is not a " + (byDisplay ? "display" : "code") + " of " + references
                        + " (add it there first)"));
    }
}
