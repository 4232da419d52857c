package jp.nanbyo.fhir.routes.sync;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The other mCSD directories this one keeps in step with, under {@code nanbyo.directory-sync}
 * (docs/configuration.md lists every key). None configured means no sync routes. A rule broken here
 * stops the server at start-up, naming the key.
 *
 * @param fhirBaseUrl the FHIR server the sync writes to; empty = this server
 *     ({@code http://localhost:<server port>/fhir})
 * @param sources one entry per directory to pull from
 */
@Validated
@ConfigurationProperties("nanbyo.directory-sync")
public record DirectorySyncProperties(
        @DefaultValue("") String fhirBaseUrl,
        @Valid @NotNull @DefaultValue List<Source> sources) {

    /** The mCSD resource types a directory holds, in the order they are read. */
    public static final List<String> DIRECTORY_TYPES = List.of("Organization", "Location", "HealthcareService",
            "OrganizationAffiliation", "Endpoint", "Practitioner", "PractitionerRole");

    @AssertTrue(message = "each of nanbyo.directory-sync.sources needs an id of its own")
    public boolean isEveryIdUnique() {
        Set<String> ids = new HashSet<>();
        return sources.stream().allMatch(source -> source.id() == null || ids.add(source.id()));
    }

    @AssertTrue(message = "nanbyo.directory-sync.fhir-base-url must be an http:// or https:// URL")
    public boolean isFhirBaseUrlUsable() {
        return fhirBaseUrl.isBlank() || fhirBaseUrl.startsWith("http://") || fhirBaseUrl.startsWith("https://");
    }

    public Source source(String id) {
        return sources.stream().filter(source -> source.id().equals(id)).findFirst()
                .orElseThrow(() -> new UnknownSourceException(id));
    }

    /** No source of that id is configured. */
    public static final class UnknownSourceException extends IllegalArgumentException {
        UnknownSourceException(String id) {
            super("No directory sync source " + id + " is configured (nanbyo.directory-sync.sources)");
        }
    }

    /**
     * One directory to pull from with {@code [type]/_history?_since=} (mCSD ITI-91).
     *
     * @param id short name, stable for the life of the data: the local ids of the resources taken from
     *     this source start with it ({@code <id>.<their id>}), and it names the route
     *     ({@code directory-sync-<id>}) and the sync's Device ({@code nanbyo-directory-sync-<id>})
     * @param baseUrl the source's FHIR base, e.g. {@code https://fhir.pref.gunma.example/fhir}
     * @param types the resource types to take (the mCSD directory types by default); a resource
     *     referring to a type not taken is rejected
     * @param pollInterval time from the start of one run to the start of the next (a run never
     *     overlaps the one before: a longer run delays the next)
     * @param initialDelay time after start-up before the first run
     * @param pageSize history entries asked for per page ({@code _count}); the source may send fewer
     * @param transactionSize most resources written per FHIR transaction
     * @param overlap how far before the last watermark each run reads again: longer than the
     *     source's longest write transaction, whose changes carry the time it began
     * @param connectTimeout longest wait for a connection to the source
     * @param readTimeout longest wait for the source to answer one request
     */
    public record Source(
            @NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?",
                    message = "must be lower-case letters, digits and hyphens (1-42 characters), e.g. gunma")
            String id,
            @NotNull URI baseUrl,
            @NotEmpty @DefaultValue({"Organization", "Location", "HealthcareService", "OrganizationAffiliation",
                    "Endpoint", "Practitioner", "PractitionerRole"}) List<String> types,
            @NotNull @DefaultValue("15m") Duration pollInterval,
            @NotNull @DefaultValue("30s") Duration initialDelay,
            @Min(1) @Max(1000) @DefaultValue("100") int pageSize,
            @Min(1) @Max(1000) @DefaultValue("200") int transactionSize,
            @NotNull @DefaultValue("5m") Duration overlap,
            @NotNull @DefaultValue("10s") Duration connectTimeout,
            @NotNull @DefaultValue("60s") Duration readTimeout) {

        public String routeId() {
            return "directory-sync-" + id;
        }

        /** The base URL without a trailing slash, as references and history links use it. */
        public String base() {
            String url = baseUrl.toString();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        @AssertTrue(message = "base-url must be http://host/path or https://host/path, without credentials, query or fragment")
        public boolean isBaseUrlUsable() {
            return baseUrl != null && baseUrl.getHost() != null
                    && ("https".equalsIgnoreCase(baseUrl.getScheme()) || "http".equalsIgnoreCase(baseUrl.getScheme()))
                    && baseUrl.getUserInfo() == null && baseUrl.getQuery() == null && baseUrl.getFragment() == null;
        }

        @AssertTrue(message = "types must be mCSD directory types (Organization, Location, HealthcareService, "
                + "OrganizationAffiliation, Endpoint, Practitioner, PractitionerRole), each once")
        public boolean isTypesKnown() {
            return types != null && DIRECTORY_TYPES.containsAll(types) && new HashSet<>(types).size() == types.size();
        }

        @AssertTrue(message = "poll-interval must be at least 1s; initial-delay and overlap at least 0; "
                + "connect-timeout and read-timeout more than 0")
        public boolean isTimingUsable() {
            return pollInterval != null && initialDelay != null && overlap != null && connectTimeout != null
                    && readTimeout != null
                    && pollInterval.compareTo(Duration.ofSeconds(1)) >= 0
                    && !initialDelay.isNegative() && !overlap.isNegative()
                    && connectTimeout.compareTo(Duration.ZERO) > 0 && readTimeout.compareTo(Duration.ZERO) > 0;
        }
    }
}
