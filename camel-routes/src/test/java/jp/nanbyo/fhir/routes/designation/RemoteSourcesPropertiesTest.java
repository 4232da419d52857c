package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jp.nanbyo.fhir.routes.designation.RemoteSourcesProperties.RemoteSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class RemoteSourcesPropertiesTest {

    static final String HOST_KEY = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=";

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RemoteSourcesProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Binding.class);

    @TempDir
    static Path keys;

    @Test
    void noSourceConfiguredMeansNone() {
        context.run(started -> assertThat(started.getBean(RemoteSourcesProperties.class).remoteSources()).isEmpty());
    }

    @Test
    void theFolderAndRetryDelaysAreMillisecondsWithTheirDefaults() {
        context.run(started -> assertThat(started.getBean(RemoteSourcesProperties.class))
                .returns(5000L, RemoteSourcesProperties::folderPollDelay).returns(1000L, RemoteSourcesProperties::retryDelay));
        context.withPropertyValues("nanbyo.designation-import.folder-poll-delay=500", "nanbyo.designation-import.retry-delay=20")
                .run(started -> assertThat(started.getBean(RemoteSourcesProperties.class))
                        .returns(500L, RemoteSourcesProperties::folderPollDelay).returns(20L, RemoteSourcesProperties::retryDelay));
    }

    @Test
    void bindsAnHttpsAndAnSftpSourceWithTheirDefaults() throws IOException {
        Path knownHosts = Files.writeString(keys.resolve("known_hosts"), "sftp.example.jp " + HOST_KEY + "\n");
        context.withPropertyValues(
                        "nanbyo.designation-import.remote-sources[0].id=gunma",
                        "nanbyo.designation-import.remote-sources[0].url=https://www.pref.example.jp/nanbyo/list.csv",
                        "nanbyo.designation-import.remote-sources[0].ssl-bundle=prefecture-ca",
                        "nanbyo.designation-import.remote-sources[1].id=tochigi",
                        "nanbyo.designation-import.remote-sources[1].url=sftp://nanbyo@sftp.example.jp:2222/outgoing/lists",
                        "nanbyo.designation-import.remote-sources[1].password=secret",
                        "nanbyo.designation-import.remote-sources[1].known-hosts-file=" + knownHosts,
                        "nanbyo.designation-import.remote-sources[1].poll-interval=15m")
                .run(started -> {
                    List<RemoteSource> sources = started.getBean(RemoteSourcesProperties.class).remoteSources();
                    assertThat(sources).hasSize(2);
                    RemoteSource https = sources.get(0);
                    assertThat(https.isHttp()).isTrue();
                    assertThat(https.sourceName()).isEqualTo("https:gunma");
                    assertThat(https.routeId()).isEqualTo("designation-import-source-gunma");
                    assertThat(https.pollInterval()).isEqualTo(Duration.ofHours(1));
                    assertThat(https.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(https.readTimeout()).isEqualTo(Duration.ofSeconds(60));
                    RemoteSource sftp = sources.get(1);
                    assertThat(sftp.isSftp()).isTrue();
                    assertThat(sftp.sourceName()).isEqualTo("sftp:tochigi");
                    assertThat(sftp.username()).isEqualTo("nanbyo");
                    assertThat(sftp.port()).isEqualTo(2222);
                    assertThat(sftp.pollInterval()).isEqualTo(Duration.ofMinutes(15));
                });
    }

    @Test
    void aHostKeyWithACommentIsPinnedWithoutIt() {
        context.withPropertyValues(sftp("password=secret", "host-key=" + HOST_KEY + " root@sftp"))
                .run(started -> assertThat(started.getBean(RemoteSourcesProperties.class).remoteSources().get(0)
                        .hostKeyTypeAndKey()).isEqualTo(HOST_KEY));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(sftp("password=secret"), "exactly one of known-hosts-file"),
                Arguments.of(sftp("password=secret", "host-key=not a key"), "exactly one of known-hosts-file"),
                Arguments.of(sftp("password=secret", "known-hosts-file=/no/such/known_hosts"), "exactly one of known-hosts-file"),
                Arguments.of(sftp("host-key=" + HOST_KEY), "needs a password or a private-key-file"),
                Arguments.of(sftp("host-key=" + HOST_KEY, "private-key-file=/no/such/id_ed25519"), "needs a password or a private-key-file"),
                Arguments.of(sftp("password=secret", "host-key=" + HOST_KEY, "ssl-bundle=ca"), "ssl-bundle is for https"),
                Arguments.of(https("https://example.jp/list.csv", "password=secret"), "for sftp:// sources only"),
                Arguments.of(https("https://user:secret@example.jp/list.csv"), "url must be"),
                Arguments.of(https("ftp://example.jp/list.csv"), "url must be"),
                Arguments.of(https("https://example.jp/list.csv", "poll-interval=500ms"), "poll-interval must be at least 1s"),
                Arguments.of(https("https://example.jp/list.csv", "id=Gunma_1"), "lower-case letters"),
                Arguments.of(https("https://example.jp/list.csv", "id=done"), "must not be done or error"),
                Arguments.of(withSecond(https("https://example.jp/list.csv")), "an id of its own"),
                // Read by Camel as placeholders, these were taken as they came: the server started with "abc" or "-5".
                Arguments.of(new String[] {"nanbyo.designation-import.folder-poll-delay=abc"}, "nanbyo.designation-import.folder-poll-delay"),
                Arguments.of(new String[] {"nanbyo.designation-import.folder-poll-delay=5s"}, "nanbyo.designation-import.folder-poll-delay"),
                Arguments.of(new String[] {"nanbyo.designation-import.folder-poll-delay=0"}, "at least 1"),
                Arguments.of(new String[] {"nanbyo.designation-import.retry-delay=-5"}, "at least 1"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeStopsTheStartWithAClearMessage(String[] properties, String message) {
        context.withPropertyValues(properties)
                .run(started -> assertThat(started).hasFailed().getFailure().hasStackTraceContaining(message));
    }

    static String[] sftp(String... settings) {
        List<String> properties = new ArrayList<>(List.of(
                "nanbyo.designation-import.remote-sources[0].id=tochigi",
                "nanbyo.designation-import.remote-sources[0].url=sftp://nanbyo@sftp.example.jp/outgoing"));
        for (String setting : settings) {
            properties.add("nanbyo.designation-import.remote-sources[0]." + setting);
        }
        return properties.toArray(String[]::new);
    }

    static String[] https(String url, String... settings) {
        List<String> properties = new ArrayList<>(List.of(
                "nanbyo.designation-import.remote-sources[0].id=gunma",
                "nanbyo.designation-import.remote-sources[0].url=" + url));
        for (String setting : settings) {
            properties.add("nanbyo.designation-import.remote-sources[0]." + setting);
        }
        return properties.toArray(String[]::new);
    }

    static String[] withSecond(String[] first) {
        List<String> properties = new ArrayList<>(List.of(first));
        properties.add("nanbyo.designation-import.remote-sources[1].id=gunma");
        properties.add("nanbyo.designation-import.remote-sources[1].url=https://example.jp/other.csv");
        return properties.toArray(String[]::new);
    }
}
