package jp.nanbyo.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * HAPI's {@code $lookup} answer, put right where it breaks the operation's definition:
 * <ul>
 *   <li>a designation without a use gets a part {@code use} with no value, which no Parameters may hold (inv-1: a
 *       parameter has a value, a resource or parts); it is left out;</li>
 *   <li>every property value comes back as a string, as HAPI stores them: a property the code system declares as
 *       {@code code}, {@code boolean} or {@code integer} is answered as one ({@code disease-field} is a code);</li>
 *   <li>{@code displayLanguage} is not applied: with {@code displayLanguage=en} the display is the English
 *       designation where the concept has one (our displays are Japanese).</li>
 * </ul>
 */
@Interceptor
final class LookupAnswers {

    private final IValidationSupport validationSupport;

    LookupAnswers(IValidationSupport validationSupport) {
        this.validationSupport = validationSupport;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void putRight(RequestDetails request, ResponseDetails response) {
        if (!"$lookup".equals(request.getOperation()) || !(response.getResponseResource() instanceof Parameters answer)) {
            return;
        }
        for (ParametersParameterComponent parameter : answer.getParameter()) {
            parameter.getPart().removeIf(part -> !part.hasValue() && !part.hasResource() && !part.hasPart());
        }
        TerminologyErrorMessages.parameter(request, "system").ifPresent(system -> typeProperties(answer, propertyTypes(system)));
        TerminologyErrorMessages.parameter(request, "displayLanguage").ifPresent(language -> displayIn(answer, language));
    }

    private Map<String, PropertyType> propertyTypes(String system) {
        return Optional.ofNullable(validationSupport.fetchCodeSystem(system))
                .filter(CodeSystem.class::isInstance).map(CodeSystem.class::cast)
                .map(codeSystem -> codeSystem.getProperty().stream().filter(p -> p.hasCode() && p.hasType())
                        .collect(Collectors.toMap(CodeSystem.PropertyComponent::getCode, CodeSystem.PropertyComponent::getType, (a, b) -> a)))
                .orElse(Map.of());
    }

    private static void typeProperties(Parameters answer, Map<String, PropertyType> types) {
        for (ParametersParameterComponent property : answer.getParameter()) {
            if (!property.getName().equals("property")) {
                continue;
            }
            PropertyType type = property.getPart().stream().filter(part -> part.getName().equals("code"))
                    .map(part -> types.get(part.getValue().primitiveValue())).findFirst().orElse(null);
            for (ParametersParameterComponent part : property.getPart()) {
                if (part.getName().equals("value") && part.getValue() instanceof StringType text && type != null) {
                    part.setValue(typed(text.getValue(), type));
                }
            }
        }
    }

    /** The value as its declared type; left a string if it is not one (never lose what HAPI answered). */
    private static Type typed(String value, PropertyType type) {
        return switch (type) {
            case CODE -> new CodeType(value);
            case BOOLEAN -> value.equals("true") || value.equals("false") ? new BooleanType(value) : new StringType(value);
            case INTEGER -> value.matches("-?\\d{1,9}") ? new IntegerType(value) : new StringType(value);
            default -> new StringType(value);
        };
    }

    private static void displayIn(Parameters answer, String displayLanguage) {
        String language = displayLanguage.toLowerCase(Locale.ROOT).split("[-_]")[0];
        answer.getParameter().stream().filter(parameter -> parameter.getName().equals("designation"))
                .filter(designation -> designation.getPart().stream().anyMatch(part -> part.getName().equals("language")
                        && part.hasValue() && part.getValue().primitiveValue().toLowerCase(Locale.ROOT).split("[-_]")[0].equals(language)))
                .flatMap(designation -> designation.getPart().stream().filter(part -> part.getName().equals("value") && part.hasValue()))
                .findFirst()
                .ifPresent(value -> answer.getParameter().stream().filter(parameter -> parameter.getName().equals("display"))
                        .forEach(display -> display.setValue(new StringType(value.getValue().primitiveValue()))));
    }
}
