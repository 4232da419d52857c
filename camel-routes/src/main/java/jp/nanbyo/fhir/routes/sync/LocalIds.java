package jp.nanbyo.fhir.routes.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The local identity of a resource taken from a source: {@code <source id>.<its id at the source>},
 * e.g. {@code Organization/gunma.1306}. Derived, never stored: a run, a restart or another node
 * computes the same id, so writing it again (PUT) can never create a second copy. Source ids have no
 * dot, so the prefix up to the first dot always names the source, and no two sources share an id.
 */
final class LocalIds {

    /** FHIR's limit on a logical id. */
    static final int MAX_LENGTH = 64;

    private LocalIds() {
    }

    /**
     * @param sourceId the configured source id (lower case, digits, hyphens; at most 42 characters)
     * @param remoteId the id at the source (FHIR id characters, at most 64)
     * @return the local id; when the two do not fit into 64 characters, the source id, a dot and the
     *     leading hex digits of the remote id's SHA-256 (at least 21 of them)
     */
    static String localId(String sourceId, String remoteId) {
        String id = sourceId + "." + remoteId;
        if (id.length() <= MAX_LENGTH) {
            return id;
        }
        return sourceId + "." + sha256(remoteId).substring(0, MAX_LENGTH - sourceId.length() - 1);
    }

    /** Whether a local id is one this source's sync made. */
    static boolean isFromSource(String sourceId, String localId) {
        return localId.startsWith(sourceId + ".");
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
