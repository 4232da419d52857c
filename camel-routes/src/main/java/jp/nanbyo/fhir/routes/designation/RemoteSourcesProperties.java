package jp.nanbyo.fhir.routes.designation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The prefectures' servers that the import polls for new lists, under
 * {@code nanbyo.designation-import.remote-sources[n]} (docs/configuration.md lists every key). None
 * configured means no polling routes. A rule broken here stops the server at start-up, naming the
 * key.
 *
 * <p>Also the two keys that the import's Camel routes read as placeholders: Camel took any text for them ("abc", "-5")
 * without a word, so they are bound and checked here, and a wrong one stops the start naming it.
 *
 * @param remoteSources one entry per prefecture server (or per file)
 * @param folderPollDelay milliseconds between two looks into the watched folder
 * @param retryDelay milliseconds before the first retry when the FHIR server is unavailable; it doubles at each retry
 */
@Validated
@ConfigurationProperties("nanbyo.designation-import")
public record RemoteSourcesProperties(
        @Valid @NotNull @DefaultValue List<RemoteSource> remoteSources,
        @Min(value = 1, message = "must be a whole number of milliseconds, at least 1") @DefaultValue(DEFAULT_FOLDER_POLL_DELAY) long folderPollDelay,
        @Min(value = 1, message = "must be a whole number of milliseconds, at least 1") @DefaultValue(DEFAULT_RETRY_DELAY) long retryDelay) {

    /** Milliseconds; also the defaults of the Camel placeholders that read these keys (DesignationImportRoutes). */
    static final String DEFAULT_FOLDER_POLL_DELAY = "5000";
    static final String DEFAULT_RETRY_DELAY = "1000";

    @ConstructorBinding
    public RemoteSourcesProperties {
    }

    /** The remote sources, with the folder's and the retries' defaults. */
    public RemoteSourcesProperties(List<RemoteSource> remoteSources) {
        this(remoteSources, Long.parseLong(DEFAULT_FOLDER_POLL_DELAY), Long.parseLong(DEFAULT_RETRY_DELAY));
    }

    @AssertTrue(message = "each of nanbyo.designation-import.remote-sources needs an id of its own")
    public boolean isEveryIdUnique() {
        Set<String> ids = new HashSet<>();
        return remoteSources.stream().allMatch(source -> source.id() == null || ids.add(source.id()));
    }

    /**
     * One server to poll: an HTTPS (or HTTP) URL of a single file, or an SFTP folder.
     *
     * @param id short name: names the route ({@code designation-import-source-<id>}), the source
     *     recorded in reports and Provenance ({@code https:<id>}, {@code sftp:<id>}) and the local
     *     folder {@code <data-dir>/import/designations/<id>/}
     * @param url {@code https://host/path/list.csv} (or {@code http://}): one file, fetched with a
     *     conditional GET; {@code sftp://user@host:port/directory}: the {@code .csv} and {@code .xlsx}
     *     files of that directory, relative to the user's login folder (Camel's SFTP takes no
     *     absolute path), read only
     * @param pollInterval time between two polls
     * @param connectTimeout longest wait for a connection
     * @param readTimeout longest wait for the server to answer (HTTP: until the answer starts; SFTP:
     *     any single read)
     * @param sslBundle HTTPS only: the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose
     *     trust store decides which server certificates are trusted; empty = the JVM's default trust store
     * @param password SFTP: the user's password
     * @param privateKeyFile SFTP: an OpenSSH private key file, instead of or besides the password
     * @param privateKeyPassphrase SFTP: the passphrase of that key, if it has one
     * @param knownHostsFile SFTP: an OpenSSH known_hosts file that holds the server's host key
     * @param hostKey SFTP: the server's host key itself, as {@code ssh-keyscan} prints it without
     *     the host name ({@code ecdsa-sha2-nistp256 AAAA…}, a trailing comment allowed); instead of a
     *     known_hosts file
     */
    public record RemoteSource(
            @NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?",
                    message = "must be lower-case letters, digits and hyphens (1-42 characters), e.g. gunma-https")
            String id,
            @NotNull URI url,
            @NotNull @DefaultValue("1h") Duration pollInterval,
            @NotNull @DefaultValue("10s") Duration connectTimeout,
            @NotNull @DefaultValue("60s") Duration readTimeout,
            String sslBundle,
            String password,
            Path privateKeyFile,
            String privateKeyPassphrase,
            Path knownHostsFile,
            String hostKey) {

        /** done/ and error/ are the watched folder's own sub-folders, which hold its filed lists. */
        private static final Set<String> RESERVED_IDS = Set.of("done", "error");

        public boolean isSftp() {
            return url != null && "sftp".equalsIgnoreCase(url.getScheme());
        }

        public boolean isHttp() {
            return url != null && ("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()));
        }

        /** Where a list came from, as reports and the Provenance record it: {@code https:gunma}, {@code sftp:tochigi}. */
        public String sourceName() {
            return url.getScheme().toLowerCase() + ":" + id;
        }

        public String routeId() {
            return "designation-import-source-" + id;
        }

        public String username() {
            return url.getUserInfo();
        }

        public int port() {
            return url.getPort() == -1 ? 22 : url.getPort();
        }

        @AssertTrue(message = "id must not be done or error (the watched folder's own sub-folders)")
        public boolean isIdFree() {
            return !RESERVED_IDS.contains(id);
        }

        @AssertTrue(message = "url must be https://host/path, http://host/path or sftp://user@host[:port]/directory,"
                + " without a password in it")
        public boolean isUrlUsable() {
            if (url == null || url.getHost() == null || !(isHttp() || isSftp())) {
                return false;
            }
            if (isSftp()) {
                return username() != null && !username().contains(":") && url.getQuery() == null;
            }
            return url.getUserInfo() == null; // credentials in a URL end up in logs
        }

        @AssertTrue(message = "poll-interval must be at least 1s, connect-timeout and read-timeout more than 0")
        public boolean isTimingPositive() {
            return pollInterval != null && connectTimeout != null && readTimeout != null
                    && pollInterval.compareTo(Duration.ofSeconds(1)) >= 0
                    && connectTimeout.compareTo(Duration.ZERO) > 0 && readTimeout.compareTo(Duration.ZERO) > 0;
        }

        @AssertTrue(message = "ssl-bundle is for https:// sources only")
        public boolean isSslBundleOnHttps() {
            return sslBundle == null || (url != null && "https".equalsIgnoreCase(url.getScheme()));
        }

        @AssertTrue(message = "password, private-key-file, private-key-passphrase, known-hosts-file and host-key are for sftp:// sources only")
        public boolean isSftpSettingOnSftp() {
            return isSftp() || (password == null && privateKeyFile == null && privateKeyPassphrase == null
                    && knownHostsFile == null && hostKey == null);
        }

        @AssertTrue(message = "an sftp:// source needs a password or a private-key-file (readable); "
                + "private-key-passphrase only goes with a private-key-file")
        public boolean isSftpLoginGiven() {
            if (!isSftp()) {
                return true;
            }
            boolean key = privateKeyFile != null && Files.isReadable(privateKeyFile);
            return (password != null || key) && (privateKeyPassphrase == null || privateKeyFile != null)
                    && (privateKeyFile == null || key);
        }

        /** Never trust whatever key a server shows: a man in the middle would receive the password. */
        @AssertTrue(message = "an sftp:// source needs exactly one of known-hosts-file (readable) or host-key "
                + "(\"<type> <base64>\" as ssh-keyscan prints it, without the host name)")
        public boolean isHostKeyPinned() {
            if (!isSftp()) {
                return true;
            }
            if (knownHostsFile != null) {
                return hostKey == null && Files.isReadable(knownHostsFile);
            }
            return hostKey != null && isPublicKeyLine(hostKey);
        }

        /** The host key as known_hosts wants it: type and key, without a comment. */
        public String hostKeyTypeAndKey() {
            String[] parts = hostKey.trim().split("\\s+");
            return parts[0] + " " + parts[1];
        }

        private static boolean isPublicKeyLine(String line) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length < 2 || parts.length > 3 || !parts[0].matches("[a-z0-9@.-]+")) {
                return false;
            }
            try {
                return Base64.getDecoder().decode(parts[1]).length > 0;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
