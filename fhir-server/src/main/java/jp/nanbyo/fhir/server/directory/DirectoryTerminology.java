package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.TerminologyPackage;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.StringType;

/**
 * The code systems the directory operations understand, read once from the terminology package on the
 * classpath: the same content the server installed at start-up (a terminology change always comes with a
 * rebuild and restart). Turns what people type (a code, or its Japanese name: {@code 10} or {@code 群馬県} or
 * {@code 群馬}; {@code hub-hospital} or {@code 難病診療連携拠点病院}) into codes, and rejects the rest with a
 * message that says what is accepted.
 */
final class DirectoryTerminology {

    static final String ROLE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-designation-role");
    static final String FIELD_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-disease-field");
    static final String DISEASE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-shitei-nanbyo");
    static final String AREA_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-secondary-medical-area");
    static final String SERVICE_TYPE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-service-type");
    static final String REASON_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-care-finder-reason");
    static final String PREFECTURE_SYSTEM = JpCoreSystems.PREFECTURE_NO;

    /** A concept: code, Japanese display, and its properties (code → values). */
    record Concept(String code, String display, Map<String, List<String>> properties) {

        Coding coding(String system) {
            return new Coding(system, code, display);
        }

        List<String> property(String name) {
            return properties.getOrDefault(name, List.of());
        }
    }

    /** One code system, by code, in the order of the file. */
    record Table(String system, String title, Map<String, Concept> concepts) {

        Concept get(String code) {
            return concepts.get(code);
        }

        /**
         * A code or a Japanese name (exactly, or without the trailing 県/府/都 for prefectures); a code
         * given with its system ({@code system|code}) is accepted too.
         */
        Concept resolve(String parameter, String text) {
            String value = text.strip();
            int bar = value.indexOf('|');
            if (bar >= 0) {
                value = value.substring(bar + 1);
            }
            Concept byCode = concepts.get(value);
            if (byCode != null) {
                return byCode;
            }
            String wanted = value;
            List<Concept> byName = concepts.values().stream()
                    .filter(c -> c.display().equals(wanted) || stripSuffix(c.display()).equals(wanted))
                    .toList();
            if (byName.size() == 1) {
                return byName.get(0);
            }
            throw new InvalidRequestException("%s: 「%s」は%sのコードまたは名称ではありません (not a code or name of %s). 例 (e.g.): %s"
                    .formatted(parameter, text, title, system, examples()));
        }

        /** {@link #resolve} for a required parameter: a client that left it out is told so, with examples. */
        Concept resolveRequired(String parameter, StringType value) {
            String text = OperationInputs.text(value);
            if (text == null) {
                throw new InvalidRequestException("%s は必須です: %sのコードまたは名称を指定してください (required: a code or name of %s). 例 (e.g.): %s"
                        .formatted(parameter, title, system, examples()));
            }
            return resolve(parameter, text);
        }

        /** {@link #resolve} for an optional parameter: empty when the client left it out. */
        Optional<Concept> resolveIfGiven(String parameter, StringType value) {
            return Optional.ofNullable(OperationInputs.text(value)).map(text -> resolve(parameter, text));
        }

        private String examples() {
            return concepts.values().stream().limit(4).map(c -> c.code() + " (" + c.display() + ")")
                    .collect(Collectors.joining(", ")) + (concepts.size() > 4 ? ", …" : "");
        }

        private static String stripSuffix(String display) {
            return display.length() > 2 && (display.endsWith("県") || display.endsWith("府") || display.endsWith("都"))
                    ? display.substring(0, display.length() - 1) : display;
        }
    }

    final Table prefectures;
    final Table roles;
    final Table fields;
    final Table diseases;
    final Table areas;
    final Table serviceTypes;
    final Table reasons;

    DirectoryTerminology(FhirContext fhirContext) {
        prefectures = read(fhirContext, "jp-prefecture-no", PREFECTURE_SYSTEM, "都道府県");
        roles = read(fhirContext, "nanbyo-designation-role", ROLE_SYSTEM, "指定区分");
        fields = read(fhirContext, "nanbyo-disease-field", FIELD_SYSTEM, "疾患群 (分野)");
        diseases = read(fhirContext, "nanbyo-shitei-nanbyo", DISEASE_SYSTEM, "指定難病");
        areas = read(fhirContext, "nanbyo-secondary-medical-area", AREA_SYSTEM, "二次医療圏");
        serviceTypes = read(fhirContext, "nanbyo-service-type", SERVICE_TYPE_SYSTEM, "サービス種別");
        reasons = read(fhirContext, "nanbyo-care-finder-reason", REASON_SYSTEM, "候補の理由");
    }

    /** A 二次医療圏 by code or name; a name shared by areas of several prefectures needs the prefecture. */
    Concept area(String text, Optional<String> prefecture) {
        String value = text.strip();
        Concept byCode = areas.get(value.substring(value.indexOf('|') + 1));
        if (byCode != null) {
            return byCode;
        }
        List<Concept> byName = areas.concepts().values().stream()
                .filter(c -> c.display().equals(value) || c.display().equals(value.replaceFirst("(医療)?圏$", "")))
                .filter(c -> prefecture.isEmpty() || c.property("prefecture").contains(prefecture.get()))
                .toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        throw new InvalidRequestException(("area: 「%s」は二次医療圏のコードまたは名称ではありません%s (not a code or name of a"
                + " secondary medical area%s). 例 (e.g.): 1008 (沼田)").formatted(text,
                byName.isEmpty() ? "" : "。都道府県 (prefecture) も指定してください",
                byName.isEmpty() ? "" : "; give the prefecture too"));
    }

    /** The disease fields (疾患群) of a 指定難病. */
    List<String> fieldsOf(Concept disease) {
        return disease.property("disease-field");
    }

    private static Table read(FhirContext fhirContext, String id, String system, String title) {
        String resource = TerminologyPackage.CLASSPATH_FOLDER + "CodeSystem-" + id + ".json";
        try (InputStream in = DirectoryTerminology.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing from the class path: " + resource);
            }
            CodeSystem codeSystem = fhirContext.newJsonParser().parseResource(CodeSystem.class, in);
            Map<String, Concept> concepts = new LinkedHashMap<>();
            for (ConceptDefinitionComponent concept : codeSystem.getConcept()) {
                Map<String, List<String>> properties = concept.getProperty().stream().collect(Collectors.groupingBy(
                        ConceptPropertyComponent::getCode, LinkedHashMap::new,
                        Collectors.mapping(p -> p.getValue().primitiveValue(), Collectors.toList())));
                concepts.put(concept.getCode(), new Concept(concept.getCode(), concept.getDisplay(), properties));
            }
            return new Table(system, title, Collections.unmodifiableMap(concepts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
