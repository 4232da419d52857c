package jp.nanbyo.fhir.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pooled validator must answer exactly what HAPI's own instance validator answers, for every
 * example of the package and every must-fail example of the profiles module, however often its
 * validators are reused and from however many threads.
 */
class PooledInstanceValidatorTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final Path MUST_FAIL = Path.of("../profiles/src/test/resources/must-fail");

    static ValidationSupportChain support;
    /** File name → JSON: the package's valid examples, then the must-fail examples. */
    static final Map<String, String> resources = new LinkedHashMap<>();
    /** File name → HAPI's answer, the reference. */
    static final Map<String, List<String>> expected = new LinkedHashMap<>();

    @BeforeAll
    static void referenceAnswers() throws IOException {
        NpmPackageValidationSupport nanbyoPackage = new NpmPackageValidationSupport(FHIR);
        nanbyoPackage.loadPackageFromClasspath(NanbyoPackage.CLASSPATH_URL);
        support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                nanbyoPackage,
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));

        NpmPackage npm = NpmPackage.fromPackage(ConformancePackage.class.getClassLoader()
                .getResourceAsStream(NanbyoPackage.CLASSPATH_RESOURCE));
        for (String file : npm.list("example")) {
            try (InputStream in = npm.load("example", file)) {
                resources.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        try (Stream<Path> files = Files.list(MUST_FAIL)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                resources.put(file.getFileName().toString(), Files.readString(file));
            }
        }

        FhirValidator hapi = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
        resources.forEach((file, json) -> expected.put(file, messages(hapi, json)));
    }

    @Test
    void theReferenceSeesValidAndInvalidResources() {
        assertThat(resources).hasSizeGreaterThan(40);
        expected.forEach((file, messages) -> assertThat(hasError(messages))
                .as("%s is a must-fail example", file)
                .isEqualTo(Files.exists(MUST_FAIL.resolve(file))));
        assertThat(expected.values().stream().filter(PooledInstanceValidatorTest::hasError)).hasSizeGreaterThan(20);
    }

    @Test
    void answersAsHapiDoesWhileValidatorsAreReused() {
        PooledInstanceValidator pooled = new PooledInstanceValidator(support, workerContext());
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(pooled);

        // Three passes over valid and invalid resources interleaved: every answer after the first pass
        // comes from a validator that has already validated other resources.
        for (int pass = 0; pass < 3; pass++) {
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                assertThat(messages(validator, resource.getValue()))
                        .as("pass %d, %s", pass, resource.getKey())
                        .isEqualTo(expected.get(resource.getKey()));
            }
        }
        assertThat(pooled.idleValidators()).isEqualTo(1);
    }

    @Test
    void answersAsHapiDoesFromConcurrentThreads() throws Exception {
        PooledInstanceValidator pooled = new PooledInstanceValidator(support, workerContext());
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(pooled);
        int threads = 4;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<String, List<String>>>> answers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                answers.add(executor.submit(() -> {
                    Map<String, List<String>> answer = new LinkedHashMap<>();
                    resources.forEach((file, json) -> answer.put(file, messages(validator, json)));
                    return answer;
                }));
            }
            for (Future<Map<String, List<String>>> answer : answers) {
                assertThat(answer.get()).isEqualTo(expected);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(pooled.idleValidators()).isBetween(1, threads);
    }

    /** The start-up warm-up: the package's own examples pass, a must-fail one counts as failing, a validator stays ready. */
    @Test
    void theWarmUpValidatesThePackagesExamplesAndLeavesAValidatorReady() throws IOException {
        PooledInstanceValidator pooled = new PooledInstanceValidator(support, workerContext());
        ConformancePackage conformancePackage = ConformancePackage.fromClasspath();
        ProfileValidatingInterceptor profileValidation = new ProfileValidatingInterceptor(FHIR,
                conformancePackage.profilesByResourceType(FHIR), pooled);
        List<IBaseResource> examples = conformancePackage.examples(FHIR);
        assertThat(examples).hasSize((int) resources.keySet().stream().filter(file -> !Files.exists(MUST_FAIL.resolve(file))).count());

        assertThat(profileValidation.warmUp(examples)).isEqualTo(new ProfileValidatingInterceptor.WarmUp(examples.size(), 0));
        assertThat(pooled.idleValidators()).as("built and kept for the first write").isEqualTo(1);

        String mustFail = Files.readString(MUST_FAIL.resolve("NanbyoDesignation-end-before-start.json"));
        List<IBaseResource> withAnInvalidOne = new ArrayList<>(examples);
        withAnInvalidOne.add(FHIR.newJsonParser().parseResource(mustFail));
        assertThat(profileValidation.warmUp(withAnInvalidOne).withErrors()).isEqualTo(1);
    }

    @Test
    void retiresAValidatorAfterItsQuotaOfResources() {
        int quota = 5;
        PooledInstanceValidator pooled = new PooledInstanceValidator(support, workerContext(), quota);
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(pooled);
        String file = resources.keySet().iterator().next();
        String valid = resources.get(file);

        for (int i = 1; i < quota; i++) {
            validator.validateWithResult(valid);
        }
        assertThat(pooled.idleValidators()).isEqualTo(1);
        validator.validateWithResult(valid);
        assertThat(pooled.idleValidators()).as("retired after its quota").isZero();
        assertThat(messages(validator, valid)).as("a fresh validator answers the same").isEqualTo(expected.get(file));
        assertThat(pooled.idleValidators()).isEqualTo(1);
    }

    /**
     * The HL7 validator would keep every coding it saw (and narratives it indexed), each with its element tree, until
     * retired; they are forgotten after each resource, which is what lets a validator serve thousands of resources.
     * Fails when a library upgrade moves them out of reach, so that the shorter quota the server then falls back to is
     * noticed.
     */
    @Test
    void forgetsWhatItKeptOfEachResourceItValidated() {
        assertThat(PooledInstanceValidator.RetainedPerResource.REACHABLE).as("the validator's fields are reachable").isTrue();
        PooledInstanceValidator pooled = new PooledInstanceValidator(support, workerContext());
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(pooled);
        String withCodings = resources.entrySet().stream()
                .filter(resource -> resource.getValue().contains("\"coding\"") && !Files.exists(MUST_FAIL.resolve(resource.getKey())))
                .map(Map.Entry::getValue).findFirst().orElseThrow();

        for (int i = 0; i < 3; i++) {
            assertThat(validator.validateWithResult(withCodings).isSuccessful()).isTrue();
        }
        assertThat(pooled.idleValidators()).isEqualTo(1);
        assertThat(pooled.forgotten()).as("the validator did observe codings").isGreaterThanOrEqualTo(3);
        assertThat(pooled.retained()).isZero();
        assertThat(PooledInstanceValidator.VALIDATIONS_PER_VALIDATOR)
                .isGreaterThan(PooledInstanceValidator.VALIDATIONS_PER_VALIDATOR_WITHOUT_FORGETTING);
    }

    /** As the server builds it. */
    /**
     * The base specification's definitions are fetched once; everything else, such as our profiles (which a client may
     * replace), is asked of the chain every time.
     */
    @Test
    void remembersTheBaseSpecificationsDefinitionsOnly() {
        BaseDefinitionRememberingWorkerContext context = new BaseDefinitionRememberingWorkerContext(support);
        String patient = BaseDefinitionRememberingWorkerContext.BASE_DEFINITIONS + "Patient";
        org.hl7.fhir.r5.model.StructureDefinition first = context.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, patient);

        assertThat(first).isNotNull();
        assertThat(first.getType()).isEqualTo("Patient");
        assertThat(context.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, patient)).isSameAs(first);
        assertThat(context.fetchTypeDefinition("Patient")).isSameAs(first);
        assertThat(context.rememberedDefinitions()).isEqualTo(1);

        String ours = "http://nanbyo.jp/fhir/StructureDefinition/nanbyo-organization";
        assertThat(context.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, ours)).isNotNull();
        assertThat(context.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class,
                BaseDefinitionRememberingWorkerContext.BASE_DEFINITIONS + "NoSuchType")).isNull();
        assertThat(context.rememberedDefinitions()).as("neither our profile nor an unknown name").isEqualTo(1);
    }

    /** As the server builds it. */
    private static WorkerContextValidationSupportAdapter workerContext() {
        return new BaseDefinitionRememberingWorkerContext(support);
    }

    /** Every message, with its severity and location. */
    private static List<String> messages(FhirValidator validator, String json) {
        return validator.validateWithResult(json).getMessages().stream()
                .map(PooledInstanceValidatorTest::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " @ " + message.getLocationString() + ": " + message.getMessage();
    }

    private static boolean hasError(List<String> messages) {
        return messages.stream().anyMatch(m -> m.startsWith("ERROR") || m.startsWith("FATAL"));
    }
}
