package jp.nanbyo.fhir.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import jp.nanbyo.fhir.routes.referral.ReferralExchangeProperties.Credential;
import org.junit.jupiter.api.Test;

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
        assertThat(properties(Duration.ofSeconds(80), List.of()).isTimingUsable()).as("= 2 x (10 s + 30 s)").isFalse();
        assertThat(properties(Duration.ofSeconds(81), List.of()).isTimingUsable()).isTrue();
    }

    @Test
    void identifierSystemsEndWithTheNodeId() {
        ReferralExchangeProperties properties = properties(Duration.ofMinutes(2), List.of());
        assertThat(properties.senderIdentifierSystem()).isEqualTo("http://nanbyo.jp/fhir/sid/referral-exchange/gunma");
        assertThat(properties.pseudonymSystem()).isEqualTo("http://nanbyo.jp/fhir/sid/pseudonym/gunma");
    }
}
