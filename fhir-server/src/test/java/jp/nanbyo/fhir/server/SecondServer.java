package jp.nanbyo.fhir.server;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.nanbyo.fhir.routes.Eventually;

/**
 * Our server application started a second time, in a child JVM ({@link SourceDirectoryApplication}),
 * on a port of its own with its own H2 database and demo data (Gunma's network): another directory
 * for the sync tests to pull from. Started without waiting, so that it comes up while the test's
 * own server does; {@link #awaitReady()} before use. Stopped when the test JVM exits.
 */
public final class SecondServer {

    private final int port;
    private final Path log;
    private final Process process;

    private SecondServer(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static SecondServer start(Path dataDir) {
        return start(dataDir, List.of());
    }

    /** With more command-line arguments, e.g. {@link SourceDirectoryApplication#REGISTRY}. */
    public static SecondServer start(Path dataDir, List<String> arguments) {
        int port = freePort();
        Path log = dataDir.resolve("server.log");
        List<String> command = ChildJvm.command("640m", SourceDirectoryApplication.class);
        command.addAll(List.of(
                "--server.port=" + port,
                "--nanbyo.data-dir=" + dataDir,
                "--nanbyo.fhir.openapi-enabled=false"));
        if (arguments.stream().noneMatch(argument -> argument.startsWith("--nanbyo.demo-data="))) {
            command.add("--nanbyo.demo-data=true");
        }
        command.addAll(arguments);
        try {
            Files.createDirectories(dataDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new SecondServer(port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the server reports itself ready (its demo data loaded). */
    public SecondServer awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        Eventually.waitUntil(Duration.ofMinutes(5), "the second server ready; see " + log, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("The second server stopped; see " + log);
            }
            try {
                return http.send(readiness, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return this;
    }

    /** Stops the server (its JVM), for a test class that is done with it; otherwise it lives until the test JVM exits. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Its standard output and error: the server's log. */
    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    public IGenericClient client() {
        return TestFhirClient.patient(port);
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
