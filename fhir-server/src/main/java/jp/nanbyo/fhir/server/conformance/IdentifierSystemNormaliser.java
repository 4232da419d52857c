package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceUtil;
import java.util.Objects;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Partners may send JP Core's systems in their OID form ({@code urn:oid:1.2.392.100495.20.3.…});
 * we store the URL forms. A storage hook, so every write path is covered, ordered before
 * validation (lower order runs first), so the profiles see URLs only.
 */
class IdentifierSystemNormaliser {

    static final int BEFORE_VALIDATION = -100;

    private final FhirTerser terser;

    IdentifierSystemNormaliser(FhirContext fhirContext) {
        this.terser = fhirContext.newTerser();
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = BEFORE_VALIDATION)
    void created(IBaseResource resource) {
        normalise(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = BEFORE_VALIDATION)
    void updated(IBaseResource oldResource, IBaseResource newResource) {
        normalise(newResource);
    }

    void normalise(IBaseResource resource) {
        boolean changed = false;
        for (Identifier identifier : terser.getAllPopulatedChildElementsOfType(resource, Identifier.class)) {
            changed |= identifier.hasSystem() && replaced(identifier.getSystem(), identifier::setSystem);
        }
        for (Coding coding : terser.getAllPopulatedChildElementsOfType(resource, Coding.class)) {
            changed |= coding.hasSystem() && replaced(coding.getSystem(), coding::setSystem);
        }
        if (changed) {
            // HAPI validates the request body as received when it still has it; make it validate what we store.
            ResourceUtil.clearRawStringFromResource(resource);
        }
    }

    private static boolean replaced(String system, java.util.function.Consumer<String> setter) {
        String normalised = JpCoreSystems.normalise(system);
        if (Objects.equals(normalised, system)) {
            return false;
        }
        setter.accept(normalised);
        return true;
    }
}
