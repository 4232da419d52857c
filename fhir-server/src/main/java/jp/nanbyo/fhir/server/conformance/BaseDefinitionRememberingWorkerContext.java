package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StructureDefinition;

/**
 * HAPI's bridge from the HL7 validator to the validation support chain, remembering the base specification's
 * StructureDefinitions once fetched. The validator asks for a type's definition at nearly every element it checks,
 * and each ask went through the chain, its version handling and the conversion to the validator's model again:
 * about 4 % of a first designation import's CPU. The base specification cannot change while the server runs; what
 * can (our profiles, value sets and code systems) is asked of the chain every time, as before.
 */
final class BaseDefinitionRememberingWorkerContext extends WorkerContextValidationSupportAdapter {

    static final String BASE_DEFINITIONS = "http://hl7.org/fhir/StructureDefinition/";

    private final Map<String, StructureDefinition> remembered = new ConcurrentHashMap<>();

    BaseDefinitionRememberingWorkerContext(IValidationSupport validationSupport) {
        super(validationSupport);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String uri) {
        if (type != StructureDefinition.class || uri == null || !uri.startsWith(BASE_DEFINITIONS) || uri.indexOf('|') >= 0) {
            return super.fetchResource(type, uri);
        }
        StructureDefinition definition = remembered.get(uri);
        if (definition == null) {
            definition = (StructureDefinition) super.fetchResource(type, uri);
            if (definition != null) {
                remembered.put(uri, definition);
            }
        }
        return type.cast(definition);
    }

    /** How many base definitions are remembered (for tests). */
    int rememberedDefinitions() {
        return remembered.size();
    }
}
