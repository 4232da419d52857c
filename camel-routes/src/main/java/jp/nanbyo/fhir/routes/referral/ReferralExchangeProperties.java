package jp.nanbyo.fhir.routes.referral;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How referrals reach external partners (IRUD and other national registries) under
 * {@code nanbyo.referral-exchange} (docs/configuration.md lists every key; docs/integration/referral-exchange.md
 * explains them). A rule broken here stops the server at start-up, naming the key.
 *
 * @param enabled deliver referrals to partners at all; off: referrals to partners are neither queued nor sent
 * @param deliver run the delivery route in this process; off: this server only queues (the deployment where the
 *     routes run apart, in a process of their own that shares the database)
 * @param nodeId this server's short name in the network (e.g. {@code gunma}): the identifier system of everything it
 *     sends and of its pseudonyms ends with it, so partners tell senders apart. Stable for the life of the data.
 * @param fhirBaseUrl the FHIR server the route reads referrals from and records deliveries in; empty = this server
 * @param pollInterval how often the outbox is looked at for entries due; a referral queued on this node is sent as soon
 *     as it commits, the poll finds the others (queued by other nodes, retries come due, left by a busy look)
 * @param batchSize most entries taken per look
 * @param concurrency most deliveries under way at once
 * @param maximumAttempts attempts before an entry is dead-lettered (a permanent refusal dead-letters at once)
 * @param firstRetryDelay wait before the second attempt; it doubles at each attempt…
 * @param maximumRetryDelay …up to this
 * @param lease how long an attempt holds its entry: another node (or this one after a crash) takes it again after this.
 *     Longer than the longest attempt: twice connect + read timeout (a Matchmaker Exchange failure asks /heartbeat too)
 * @param connectTimeout longest wait for a connection to a partner
 * @param readTimeout longest wait for a partner's answer
 * @param sslBundle the Spring Boot SSL bundle whose trust store decides which partner certificates are trusted; empty =
 *     the JVM's default trust store
 * @param queueAgeWarning the health indicator turns {@code AMBER} when a partner's oldest entry waits longer
 * @param pseudonymKey the secret that makes patients' pseudonyms; empty = one made at first start and kept in the
 *     database (every node of a cluster uses the same)
 * @param credentials secrets sent to partners, by address prefix
 * @param contactHref whom a Matchmaker Exchange node's clinicians contact about a match when the referring organization
 *     has no e-mail or web address ({@code mailto:…} or {@code https://…}); empty = such a referral is refused
 */
@Validated
@ConfigurationProperties("nanbyo.referral-exchange")
public record ReferralExchangeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean deliver,
        @NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?",
                message = "must be lower-case letters, digits and hyphens (1-42 characters), e.g. gunma")
        @DefaultValue("nanbyo") String nodeId,
        @DefaultValue("") String fhirBaseUrl,
        @NotNull @DefaultValue("200ms") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("50") int batchSize,
        @Min(1) @Max(64) @DefaultValue("8") int concurrency,
        @Min(1) @Max(100) @DefaultValue("10") int maximumAttempts,
        @NotNull @DefaultValue("2s") Duration firstRetryDelay,
        @NotNull @DefaultValue("10m") Duration maximumRetryDelay,
        @NotNull @DefaultValue("2m") Duration lease,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("") String sslBundle,
        @NotNull @DefaultValue("5m") Duration queueAgeWarning,
        @DefaultValue("") String pseudonymKey,
        @Valid @NotNull @DefaultValue List<Credential> credentials,
        @NotNull @Pattern(regexp = "|(mailto:|https?://).+", message = "must be empty, mailto:… or http(s)://…")
        @DefaultValue("") String contactHref) {

    /**
     * A secret for the partners whose address starts with {@code addressPrefix}: sent as {@code X-Auth-Token} to a
     * Matchmaker Exchange node and as {@code Authorization: Bearer} to a FHIR server.
     */
    public record Credential(@NotBlank String addressPrefix, @NotBlank String authToken) {
    }

    /** The identifier system of what this node sends (our ids, {@code Task/123}, are the values). */
    public String senderIdentifierSystem() {
        return "http://nanbyo.jp/fhir/sid/referral-exchange/" + nodeId;
    }

    /** The identifier system of this node's patient pseudonyms. */
    public String pseudonymSystem() {
        return "http://nanbyo.jp/fhir/sid/pseudonym/" + nodeId;
    }

    /** The secret for a partner address: the credential with the longest matching prefix. */
    public Optional<String> authTokenFor(String address) {
        return credentials.stream()
                .filter(credential -> address.startsWith(credential.addressPrefix()))
                .max((a, b) -> Integer.compare(a.addressPrefix().length(), b.addressPrefix().length()))
                .map(Credential::authToken);
    }

    @AssertTrue(message = "nanbyo.referral-exchange.fhir-base-url must be an http:// or https:// URL")
    public boolean isFhirBaseUrlUsable() {
        return fhirBaseUrl.isBlank() || fhirBaseUrl.startsWith("http://") || fhirBaseUrl.startsWith("https://");
    }

    // One check per rule, so that a start refused names the rule broken and its keys, not all five at once.

    @AssertTrue(message = "nanbyo.referral-exchange.poll-interval must be at least 10ms")
    public boolean isPollIntervalUsable() {
        return pollInterval == null || pollInterval.toMillis() >= 10;
    }

    @AssertTrue(message = "nanbyo.referral-exchange.first-retry-delay must be at least 1ms and at most maximum-retry-delay")
    public boolean isRetryDelayUsable() {
        return firstRetryDelay == null || maximumRetryDelay == null
                || firstRetryDelay.toMillis() >= 1 && firstRetryDelay.compareTo(maximumRetryDelay) <= 0;
    }

    @AssertTrue(message = "nanbyo.referral-exchange.connect-timeout and read-timeout must be more than 0")
    public boolean isTimeoutUsable() {
        return (connectTimeout == null || connectTimeout.compareTo(Duration.ZERO) > 0)
                && (readTimeout == null || readTimeout.compareTo(Duration.ZERO) > 0);
    }

    @AssertTrue(message = "nanbyo.referral-exchange.lease must be longer than 2 x (connect-timeout + read-timeout), the longest"
            + " attempt (a Matchmaker Exchange failure asks /heartbeat too; an attempt still under way must never be taken again)")
    public boolean isLeaseUsable() {
        return lease == null || connectTimeout == null || readTimeout == null
                || lease.compareTo(connectTimeout.plus(readTimeout).multipliedBy(2)) > 0;
    }

    @AssertTrue(message = "nanbyo.referral-exchange.queue-age-warning must be more than 0")
    public boolean isQueueAgeWarningUsable() {
        return queueAgeWarning == null || queueAgeWarning.compareTo(Duration.ZERO) > 0;
    }

    /** The wait before attempt {@code attempt + 1}: the first retry delay, doubled per attempt, capped. */
    public Duration retryDelay(int attempt) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < attempt && delay.compareTo(maximumRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maximumRetryDelay) > 0 ? maximumRetryDelay : delay;
    }
}
