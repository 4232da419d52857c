package jp.nanbyo.fhir.server;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator may set, under the prefix {@code nanbyo.} (environment variables such as
 * {@code NANBYO_DATABASE_URL} work too). Every key and its default is listed in
 * {@code docs/configuration.md}; a test keeps the two in step.
 *
 * @param dataDir folder for everything the server writes locally: the embedded database, dead letters, …
 * @param database where the FHIR data lives
 * @param fhir the FHIR REST interface
 * @param cors which browser origins may call the API
 * @param subscriptions topic-based subscriptions (FHIR R4 Subscriptions Backport) delivered by rest-hook
 * @param demoData load the demo network (Gunma and the national bodies) at start-up: {@code auto}
 *     (only with the embedded database), {@code true} or {@code false}
 */
@Validated
@ConfigurationProperties("nanbyo")
public record NanbyoProperties(
        @NotNull @DefaultValue("data") Path dataDir,
        @Valid @NotNull @DefaultValue Database database,
        @Valid @NotNull @DefaultValue Fhir fhir,
        @Valid @NotNull @DefaultValue Cors cors,
        @Valid @NotNull @DefaultValue Subscriptions subscriptions,
        @NotNull @Pattern(regexp = "auto|true|false") @DefaultValue("auto") String demoData) {

    /** Demo data belongs on a trial server: by default only with the embedded database. */
    public boolean loadsDemoData() {
        return demoData.equals("true") || (demoData.equals("auto") && database.isEmbedded());
    }

    /**
     * @param url JDBC URL; empty means the embedded H2 database in {@code <data-dir>/h2}. PostgreSQL:
     *     {@code jdbc:postgresql://host:5432/nanbyo}
     * @param username database user (ignored when empty)
     * @param password database password (ignored when empty)
     * @param maximumPoolSize most connections the server keeps open
     */
    public record Database(
            @DefaultValue("") String url,
            @DefaultValue("") String username,
            @DefaultValue("") String password,
            @Min(2) @Max(200) @DefaultValue("10") int maximumPoolSize) {

        public boolean isEmbedded() {
            return url.isBlank();
        }
    }

    /**
     * @param publicBaseUrl the base URL clients see (behind a proxy), used in links and
     *     {@code Location} headers; empty means the URL of each incoming request
     * @param defaultPageSize search results per page when the client gives no {@code _count}
     * @param maximumPageSize the largest {@code _count} honoured
     * @param openapiEnabled serve an OpenAPI description at {@code /fhir/api-docs} and a browsable
     *     UI at {@code /fhir/swagger-ui/}
     * @param concurrentSearches most searches and GET operations HAPI runs at once, the others waiting their
     *     turn; 0 means as many as the machine has processors
     * @param maximumRequestSize the largest request body taken (unpacked, when sent compressed); HAPI holds a body
     *     whole in memory while it parses it, and bodies over 64 kB processed at once may add up to twice this
     * @param maximumRequestElements the most elements a request body may hold (JSON objects and values, XML tags);
     *     HAPI's parser, the validator and the search indexes hold objects per element
     * @param maximumBundleEntries the most entries a transaction or batch Bundle may hold; HAPI holds everything a
     *     transaction writes in memory until it commits
     * @param maximumBundleSearches the most entries of a transaction or batch Bundle that are not a read or version
     *     read (searches, histories, operations); HAPI holds every answer in memory until the Bundle's is sent
     */
    public record Fhir(
            @DefaultValue("") String publicBaseUrl,
            @Min(1) @DefaultValue("20") int defaultPageSize,
            @Min(1) @Max(1000) @DefaultValue("200") int maximumPageSize,
            @DefaultValue("true") boolean openapiEnabled,
            @Min(0) @Max(1000) @DefaultValue("0") int concurrentSearches,
            @DefaultValue("8MB") DataSize maximumRequestSize,
            @Min(1) @DefaultValue("100000") long maximumRequestElements,
            @Min(1) @DefaultValue("2000") int maximumBundleEntries,
            @Min(0) @DefaultValue("20") int maximumBundleSearches) {

        /** The limit in force: as configured, or one per processor. */
        public int concurrentSearchLimit() {
            return concurrentSearches > 0 ? concurrentSearches : Runtime.getRuntime().availableProcessors();
        }

        @AssertTrue(message = "nanbyo.fhir.default-page-size must not exceed nanbyo.fhir.maximum-page-size")
        public boolean isPageSizeConsistent() {
            return defaultPageSize <= maximumPageSize;
        }

        @AssertTrue(message = "nanbyo.fhir.maximum-request-size must be more than 0 bytes")
        public boolean isRequestSizePositive() {
            return maximumRequestSize.toBytes() > 0;
        }
    }

    /**
     * @param allowedOrigins origin patterns allowed to call the API from a browser ({@code *} for any)
     */
    public record Cors(@NotEmpty @DefaultValue("*") List<String> allowedOrigins) {
    }

    /**
     * @param enabled match every write against the subscription topics and deliver notifications; when off, a
     *     Subscription is refused and writes cost nothing extra
     * @param allowedEndpoints URL prefixes a rest-hook endpoint must start with (e.g. {@code https://}, or
     *     {@code https://partner.example.jp/}); anything else is refused when the Subscription is written
     * @param submissionInterval how often stored changes are handed to matching, so about the longest delay
     *     between a write and its notification
     */
    public record Subscriptions(
            @DefaultValue("true") boolean enabled,
            @NotEmpty @DefaultValue("https://") List<String> allowedEndpoints,
            @NotNull @DefaultValue("5s") Duration submissionInterval) {

        @AssertTrue(message = "nanbyo.subscriptions.submission-interval must be between 1s and 10m")
        public boolean isSubmissionIntervalReasonable() {
            return submissionInterval.compareTo(Duration.ofSeconds(1)) >= 0
                    && submissionInterval.compareTo(Duration.ofMinutes(10)) <= 0;
        }

        @AssertTrue(message = "nanbyo.subscriptions.allowed-endpoints must be http:// or https:// URL prefixes")
        public boolean isAllowedEndpointsHttp() {
            return allowedEndpoints.stream().allMatch(prefix -> prefix.startsWith("https://") || prefix.startsWith("http://"));
        }
    }
}
