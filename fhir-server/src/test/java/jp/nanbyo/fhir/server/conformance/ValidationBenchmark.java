package jp.nanbyo.fhir.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import jp.nanbyo.fhir.server.Network;
import jp.nanbyo.fhir.server.TestDataDir;
import jp.nanbyo.fhir.server.TestFhirClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Benchmark, not a test (it is not run by {@code ./mvnw verify}): the cost of profile validation
 * on create. After a warm-up, creates the same kind of profiled resource (a NanbyoHospital) over
 * FHIR REST with validation on and off, in alternating rounds within one server, and prints both
 * rates and their ratio. Run it with the command in docs/conformance.md.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ValidationBenchmark {

    static final int COUNT = Integer.getInteger("benchmark.count", 800);
    static final int WARM_UP = Integer.getInteger("benchmark.warm-up", 500);
    static final int ROUNDS = 8;
    static final Path DATA_DIR = TestDataDir.fresh("benchmark-data-");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("nanbyo.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ProfileValidatingInterceptor validation;

    @Autowired
    IInterceptorService storageInterceptors;

    private final AtomicLong sequence = new AtomicLong(1_000_000);

    @Test
    void validationCostOnCreate() {
        IGenericClient client = TestFhirClient.of(port);

        // Warm-up: the JIT (the validator is a lot of code and compiles late), the validator's caches, HAPI's
        // search parameter registry and the reindex job that the package install starts on a fresh database.
        long coldOn = createHospitals(client, WARM_UP, true);
        long coldOff = createHospitals(client, WARM_UP, false);
        System.out.printf("%n  warm-up (not counted), %d each way: on %.2f ms, off %.2f ms each%n",
                WARM_UP, coldOn / 1e6 / WARM_UP, coldOff / 1e6 / WARM_UP);

        long validatedNanos = 0;
        long unvalidatedNanos = 0;
        int perRound = COUNT / ROUNDS;
        for (int round = 0; round < ROUNDS; round++) {
            long on = createHospitals(client, perRound, true);
            long off = createHospitals(client, perRound, false);
            System.out.printf("  round %d: on %.2f ms, off %.2f ms each%n", round + 1, on / 1e6 / perRound, off / 1e6 / perRound);
            validatedNanos += on;
            unvalidatedNanos += off;
        }
        int total = perRound * ROUNDS;

        double validatedRate = total / (validatedNanos / 1e9);
        double unvalidatedRate = total / (unvalidatedNanos / 1e9);
        double ratio = (double) validatedNanos / unvalidatedNanos;
        System.out.printf("%nValidation benchmark: %d NanbyoHospital creates each way over FHIR REST after %d warm-up,"
                + " %d alternating rounds, embedded H2, one client thread%n", total, WARM_UP, ROUNDS);
        System.out.printf("  validation on : %7.1f creates/s (%.2f ms each)%n", validatedRate, validatedNanos / 1e6 / total);
        System.out.printf("  validation off: %7.1f creates/s (%.2f ms each)%n", unvalidatedRate, unvalidatedNanos / 1e6 / total);
        System.out.printf("  time ratio on/off: %.2f (target: at most 1.50)%n%n", ratio);

        assertThat(ratio).isPositive();
    }

    private long createHospitals(IGenericClient client, int count, boolean validated) {
        if (!validated) {
            storageInterceptors.unregisterInterceptor(validation);
        }
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String code = "101" + String.format("%07d", sequence.incrementAndGet() % 10_000_000);
                client.create().resource(Network.hospital(code, "ベンチマーク病院" + code, "ベンチマークビョウイン")).execute();
            }
            return System.nanoTime() - start;
        } finally {
            if (!validated) {
                storageInterceptors.registerInterceptor(validation);
            }
        }
    }
}
