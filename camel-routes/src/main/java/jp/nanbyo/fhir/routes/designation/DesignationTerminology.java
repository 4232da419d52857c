package jp.nanbyo.fhir.routes.designation;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;

/**
 * The code systems a designation list is checked against, read from the server (the same ones its
 * validator uses), so that a role or area added to the terminology is importable at once.
 */
final class DesignationTerminology {

    static final String ROLE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-designation-role");
    static final String FIELD_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-disease-field");
    static final String AREA_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-secondary-medical-area");
    static final String PREFECTURE_SYSTEM = JpCoreSystems.PREFECTURE_NO;

    /** A role; {@code onlyPrefecture} is the one prefecture that may use a prefecture-specific role, else null. */
    record Role(String code, String display, String onlyPrefecture) {
    }

    record Field(String code, String display) {
    }

    record Area(String code, String name, String prefecture, List<String> municipalities) {
    }

    record Prefecture(String code, String name, String localGovernmentCode) {
    }

    private final Map<String, Role> roles = new HashMap<>();
    private final Map<String, Field> fields = new HashMap<>();
    private final Map<String, List<Area>> areasByPrefecture = new HashMap<>();
    private final Map<String, Prefecture> prefectures = new HashMap<>();
    private final long loadedAtNanos = System.nanoTime();

    static DesignationTerminology load(IGenericClient client) {
        DesignationTerminology terminology = new DesignationTerminology();
        for (ConceptDefinitionComponent concept : codeSystem(client, ROLE_SYSTEM).getConcept()) {
            Role role = new Role(concept.getCode(), concept.getDisplay(), property(concept, "prefecture"));
            terminology.roles.put(normalise(role.code()), role);
            terminology.roles.put(normalise(role.display()), role);
        }
        for (ConceptDefinitionComponent concept : codeSystem(client, FIELD_SYSTEM).getConcept()) {
            Field field = new Field(concept.getCode(), concept.getDisplay());
            terminology.fields.put(normalise(field.code()), field);
            terminology.fields.put(normalise(field.display()), field);
        }
        for (ConceptDefinitionComponent concept : codeSystem(client, AREA_SYSTEM).getConcept()) {
            List<String> municipalities = concept.getProperty().stream()
                    .filter(p -> p.getCode().equals("municipality"))
                    .map(p -> p.getValue().primitiveValue())
                    .toList();
            Area area = new Area(concept.getCode(), concept.getDisplay(), property(concept, "prefecture"), municipalities);
            terminology.areasByPrefecture.computeIfAbsent(area.prefecture(), p -> new ArrayList<>()).add(area);
        }
        for (ConceptDefinitionComponent concept : codeSystem(client, PREFECTURE_SYSTEM).getConcept()) {
            terminology.prefectures.put(concept.getCode(),
                    new Prefecture(concept.getCode(), concept.getDisplay(), property(concept, "lg-code")));
        }
        return terminology;
    }

    /** Whether it was read from the server after the given {@link System#nanoTime()}. */
    boolean isNewerThan(long nanoTime) {
        return loadedAtNanos - nanoTime > 0;
    }

    Optional<Role> role(String text) {
        return Optional.ofNullable(roles.get(normalise(text)));
    }

    /** Every role, once, for telling an operator what is accepted. */
    List<Role> roles() {
        return roles.values().stream().distinct().sorted((a, b) -> a.code().compareTo(b.code())).toList();
    }

    Optional<Field> field(String text) {
        return Optional.ofNullable(fields.get(normalise(text)));
    }

    List<Area> areas(String prefecture) {
        return areasByPrefecture.getOrDefault(prefecture, List.of());
    }

    /** An area of the prefecture by its name (前橋) or code (1001). */
    Optional<Area> area(String prefecture, String text) {
        String wanted = normalise(text);
        return areas(prefecture).stream()
                .filter(area -> normalise(area.name()).equals(wanted) || area.code().equals(wanted))
                .findFirst();
    }

    Prefecture prefecture(String code) {
        Prefecture prefecture = prefectures.get(code);
        if (prefecture == null) {
            throw new IllegalArgumentException("Not a prefecture code: " + code);
        }
        return prefecture;
    }

    static String normalise(String text) {
        return text == null ? "" : Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    }

    private static CodeSystem codeSystem(IGenericClient client, String url) {
        Bundle found = client.search().forResource(CodeSystem.class)
                .where(CodeSystem.URL.matches().value(url))
                .returnBundle(Bundle.class)
                .execute();
        if (found.getEntry().isEmpty()) {
            throw new IllegalStateException("The server has no CodeSystem " + url + " (is the conformance package installed?)");
        }
        return (CodeSystem) found.getEntryFirstRep().getResource();
    }

    private static String property(ConceptDefinitionComponent concept, String code) {
        return concept.getProperty().stream()
                .filter(p -> p.getCode().equals(code))
                .map(ConceptPropertyComponent::getValue)
                .map(value -> value.primitiveValue())
                .findFirst()
                .orElse(null);
    }
}
