package jp.nanbyo.fhir.server.conformance;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.LongAdder;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ParserBase.ValidationPolicy;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.elementmodel.XmlParser;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.utilities.validation.ValidationMessage.IssueSeverity;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * HAPI's instance validator, with the HL7 validator and parsers it works with reused instead of
 * built for every resource. HAPI builds a new {@link InstanceValidator} per validation, whose
 * constructor parses a 1.5 MB OID table, and the validator builds a new parser per resource, whose
 * constructor walks every StructureDefinition: together most of the cost of a validated write.
 * The HL7 validator resets its per-resource state at the start of each validation but is not
 * thread-safe, so each one serves one thread at a time, taken from a pool and given back.
 *
 * <p>Same checks and messages as {@link FhirInstanceValidator}; configure it before the first
 * validation (the pooled validators copy the settings when they are built).
 */
class PooledInstanceValidator extends FhirInstanceValidator {

    /**
     * Resources a validator serves before it is retired. The HL7 validator remembers every coding it has seen, with the
     * element tree around it, for an optional end-of-session check (IPS codes) that we never run; its constructor
     * parses a 1.5 MB OID table, 3 % of a first import's CPU when a validator was rebuilt every 200 resources. What it
     * keeps of each resource is forgotten after it ({@link RetainedPerResource}), so a validator now lives long; the
     * bound stays for anything else it might keep.
     */
    static final int VALIDATIONS_PER_VALIDATOR = 5_000;

    /** The bound should this library version keep them where {@link RetainedPerResource} cannot reach them. */
    static final int VALIDATIONS_PER_VALIDATOR_WITHOUT_FORGETTING = 200;

    private final WorkerContextValidationSupportAdapter workerContext;
    private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();
    private final int validationsPerValidator;
    private final LongAdder forgotten = new LongAdder();

    /** One thread's validator and the parsers that turn a resource into the validator's element model. */
    private final class Pooled {
        final InstanceValidator validator = newInstanceValidator();
        final Map<FhirFormat, ParserBase> parsers = new EnumMap<>(FhirFormat.class);
        int uses;

        ParserBase parser(FhirFormat format) {
            return parsers.computeIfAbsent(format, PooledInstanceValidator.this::newParser);
        }
    }

    PooledInstanceValidator(IValidationSupport validationSupport, WorkerContextValidationSupportAdapter workerContext) {
        this(validationSupport, workerContext, RetainedPerResource.REACHABLE
                ? VALIDATIONS_PER_VALIDATOR : VALIDATIONS_PER_VALIDATOR_WITHOUT_FORGETTING);
    }

    /** With a quota of its own (for tests: the shipped one takes thousands of resources to reach). */
    PooledInstanceValidator(IValidationSupport validationSupport, WorkerContextValidationSupportAdapter workerContext,
            int validationsPerValidator) {
        super(validationSupport);
        this.workerContext = Objects.requireNonNull(workerContext);
        this.validationsPerValidator = validationsPerValidator;
        setWrappedWorkerContext(validationSupport, workerContext);
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        Pooled pooled = Objects.requireNonNullElseGet(idle.pollFirst(), Pooled::new);
        try {
            return validateWith(pooled, context);
        } finally {
            forgotten.add(RetainedPerResource.forget(pooled.validator));
            if (++pooled.uses < validationsPerValidator) {
                idle.offerFirst(pooled);
            }
        }
    }

    /** Number of built validators waiting for work (for tests). */
    int idleValidators() {
        return idle.size();
    }

    /** Codings and narratives the validators kept and were made to forget (for tests). */
    long forgotten() {
        return forgotten.sum();
    }

    /** Codings and narratives kept by the validators waiting for work (for tests). */
    int retained() {
        return idle.stream().mapToInt(pooled -> RetainedPerResource.count(pooled.validator)).sum();
    }

    private List<ValidationMessage> validateWith(Pooled pooled, IValidationContext<?> context) {
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        for (String url : context.getOptions().getProfiles()) {
            addProfile(url, profiles, unknownProfiles);
        }
        if (context.getResource() instanceof IBaseResource resource) {
            for (IPrimitiveType<String> declared : resource.getMeta().getProfile()) {
                addProfile(declared.getValueAsString(), profiles, unknownProfiles);
            }
        }

        // The request body as received where HAPI still has it (so elements its parser dropped are reported).
        FhirFormat format = context.getResourceAsStringEncoding() == EncodingEnum.XML ? FhirFormat.XML : FhirFormat.JSON;
        byte[] body = context.getResourceAsString().getBytes(StandardCharsets.UTF_8);
        // What InstanceValidator.validate(InputStream, …) does, with a parser that is reused rather than built per call.
        List<ValidatedFragment> fragments;
        try {
            fragments = pooled.parser(format).parse(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (ValidatedFragment fragment : fragments) {
            if (fragment.getElement() != null) {
                pooled.validator.validate(context.getOptions().getAppContext(), fragment.getErrors(),
                        fragments.size() > 1 ? fragment.path() : null, fragment.getElement(), profiles);
            }
            messages.addAll(fragment.getErrors());
        }
        if (profiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }

        // As HAPI does: no note about bindings without a value set, unknown profiles per our setting.
        messages.removeIf(message -> I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE.equals(message.getMessageId())
                || (I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND.equals(message.getMessageId())
                        && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
        for (ValidationMessage message : messages) {
            if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(message.getMessageId())
                    || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(message.getMessageId())) {
                message.setLevel(isErrorForUnknownProfiles() ? IssueSeverity.ERROR : IssueSeverity.WARNING);
            }
        }
        return messages;
    }

    private void addProfile(String url, List<StructureDefinition> profiles, List<ValidationMessage> unknownProfiles) {
        StructureDefinition profile = workerContext.fetchResource(StructureDefinition.class, url);
        if (profile != null) {
            profiles.add(profile);
        } else {
            unknownProfiles.add(new ValidationMessage()
                    .setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN)
                    .setLevel(IssueSeverity.ERROR)
                    .setMessage("Invalid profile. Failed to retrieve profile with url=" + url));
        }
    }

    private ParserBase newParser(FhirFormat format) {
        ParserBase parser = format == FhirFormat.JSON ? new DefinitionCachingJsonParser(workerContext)
                : Manager.makeParser(workerContext, format);
        parser.setupValidation(ValidationPolicy.EVERYTHING);
        if (parser instanceof XmlParser xml) {
            xml.setAllowXsiLocation(true);
        }
        return parser;
    }

    private InstanceValidator newInstanceValidator() {
        InstanceValidator validator = new InstanceValidator(workerContext,
                Objects.requireNonNullElseGet(getHostApplicationServices(), NullEvaluationContext::new),
                new XVerExtensionManagerOld(workerContext), new ValidatorSession(), new ValidatorSettings());
        validator.setAssumeValidRestReferences(isAssumeValidRestReferences());
        validator.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        validator.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(isNoTerminologyChecks());
        validator.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.getExtensionDomains().addAll(getExtensionDomains());
        validator.setFetcher(getValidatorResourceFetcher());
        validator.setPolicyAdvisor(getValidatorPolicyAdvisor());
        validator.setNoExtensibleWarnings(isNoExtensibleWarnings());
        validator.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        validator.setAllowExamples(isAllowExamples());
        validator.setAllowXsiLocation(true);
        return validator;
    }

    /**
     * What an HL7 validator keeps of each resource it validated, long after: every coding it observed, with the element
     * tree around it (for an end-of-session check we never run), and the narratives it indexed to resolve {@code #}
     * references (keyed by element, so each holds its resource's tree). Both are private to the library with no way to
     * clear them, so they are reached by reflection; {@link #REACHABLE} is false, and nothing is forgotten, should a
     * later version keep them otherwise ({@code PooledInstanceValidatorTest} then fails, so an upgrade notices).
     */
    static final class RetainedPerResource {
        private static final Field OBSERVER = accessibleField(InstanceValidator.class, "codingObserver", CodingsObserver.class);
        private static final Field CODINGS = accessibleField(CodingsObserver.class, "list", List.class);
        private static final Field NARRATIVES = accessibleField(InstanceValidator.class, "xhtmlElementMap", Map.class);
        static final boolean REACHABLE = OBSERVER != null && CODINGS != null && NARRATIVES != null;

        private RetainedPerResource() {
        }

        /** How many codings and narratives the validator holds. */
        static int count(InstanceValidator validator) {
            return codings(validator).size() + narratives(validator).size();
        }

        /** Answers how many were forgotten. */
        static int forget(InstanceValidator validator) {
            List<?> codings = codings(validator);
            Map<?, ?> narratives = narratives(validator);
            int count = codings.size() + narratives.size();
            // Cleared only when not empty: an unreachable one is an empty immutable stand-in.
            if (!codings.isEmpty()) {
                codings.clear();
            }
            if (!narratives.isEmpty()) {
                narratives.clear();
            }
            return count;
        }

        private static List<?> codings(InstanceValidator validator) {
            Object observer = REACHABLE ? read(OBSERVER, validator) : null;
            return observer == null ? List.of() : (List<?>) read(CODINGS, observer);
        }

        private static Map<?, ?> narratives(InstanceValidator validator) {
            Object narratives = REACHABLE ? read(NARRATIVES, validator) : null;
            return narratives == null ? Map.of() : (Map<?, ?>) narratives;
        }

        private static Object read(Field field, Object owner) {
            try {
                return field.get(owner);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Field accessibleField(Class<?> owner, String name, Class<?> type) {
            try {
                Field field = owner.getDeclaredField(name);
                if (!type.isAssignableFrom(field.getType())) {
                    return null;
                }
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException | RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * The JSON parser looks up a resource type's definition by scanning every StructureDefinition
     * (some 650) and building a URL string for each, on every resource it parses; the definitions
     * of the base types do not change while the server runs, so each is looked up once.
     */
    private static final class DefinitionCachingJsonParser extends JsonParser {
        private final Map<String, StructureDefinition> definitions = new HashMap<>();

        DefinitionCachingJsonParser(IWorkerContext context) {
            super(context);
        }

        @Override
        protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name) {
            StructureDefinition definition = definitions.get(name);
            if (definition == null) {
                definition = super.getDefinition(errors, line, col, name);
                if (definition != null) {
                    definitions.put(name, definition);
                }
            }
            return definition;
        }
    }
}
