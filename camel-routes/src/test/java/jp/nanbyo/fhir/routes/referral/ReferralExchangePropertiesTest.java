package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import jp.nanbyo.fhir.routes.referral.ReferralExchangeProperties.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ReferralExchangePropertiesTest {

    static ReferralExchangeProperties properties(Duration lease, List<Credential> credentials) {
        return new ReferralExchangeProperties(true, true, "gunma", "", Duration.ofMillis(200), 50, 8, 10, Duration.ofSeconds(2),
                Duration.ofSeconds(20), lease, Duration.ofSeconds(10), Duration.ofSeconds(30), "", Duration.ofMinutes(5), "",
                credentials, "");
    }

    @Test
    void theRetryDelayDoublesFromTheFirstUpToTheMaximum() {
        ReferralExchangeProperties properties = properties(Duration.ofMinutes(2), List.of());
        assertThat(List.of(1, 2, 3, 4, 5, 9).stream().map(properties::retryDelay).map(Duration::toSeconds))
                .containsExactly(2L, 4L, 8L, 16L, 20L, 20L);
    }

    @Test
    void aPartnersSecretIsTheCredentialWithTheLongestMatchingPrefix() {
        ReferralExchangeProperties properties = properties(Duration.ofMinutes(2), List.of(
                new Credential("https://irud.example.jp/", "general"),
                new Credential("https://irud.example.jp/mme/", "matchmaker")));
        assertThat(properties.authTokenFor("https://irud.example.jp/mme/match")).contains("matchmaker");
        assertThat(properties.authTokenFor("https://irud.example.jp/fhir")).contains("general");
        assertThat(properties.authTokenFor("https://other.example.jp/fhir")).isEmpty();
    }

    @Test
    void theLeaseMustOutlastTheLongestAttemptTwiceTheTimeouts() {
        assertThat(properties(Duration.ofSeconds(80), List.of()).isLeaseUsable()).as("= 2 x (10 s + 30 s)").isFalse();
        assertThat(properties(Duration.ofSeconds(81), List.of()).isLeaseUsable()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ReferralExchangeProperties.class)
    static class Binding {
    }

    /**
     * A timing rule broken stops the start naming that rule and its key. All five were one check, whose message listed
     * every rule under the property "timingUsable".
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "poll-interval=5ms | nanbyo.referral-exchange.poll-interval must be at least 10ms",
            "first-retry-delay=20m | nanbyo.referral-exchange.first-retry-delay must be at least 1ms and at most maximum-retry-delay",
            "read-timeout=0s | nanbyo.referral-exchange.connect-timeout and read-timeout must be more than 0",
            "read-timeout=50s | nanbyo.referral-exchange.lease must be longer than 2 x (connect-timeout + read-timeout)",
            "queue-age-warning=0s | nanbyo.referral-exchange.queue-age-warning must be more than 0"})
    void aTimingMistakeStopsTheStartNamingItsRule(String setting, String message) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Binding.class)
                .withPropertyValues("nanbyo.referral-exchange." + setting)
                .run(started -> {
                    assertThat(started).hasFailed().getFailure().hasStackTraceContaining(message);
                    // Only the rule broken: the lease rule is not named when the poll interval is wrong.
                    if (!setting.startsWith("read-timeout=50s")) {
                        StringWriter trace = new StringWriter();
                        started.getStartupFailure().printStackTrace(new PrintWriter(trace));
                        assertThat(trace.toString()).doesNotContain("lease must be");
                    }
                });
    }

    @Test
    void identifierSystemsEndWithTheNodeId() {
        ReferralExchangeProperties properties = properties(Duration.ofMinutes(2), List.of());
        assertThat(properties.senderIdentifierSystem()).isEqualTo("http://nanbyo.jp/fhir/sid/referral-exchange/gunma");
        assertThat(properties.pseudonymSystem()).isEqualTo("http://nanbyo.jp/fhir/sid/pseudonym/gunma");
    }
}
