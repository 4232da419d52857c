package jp.nanbyo.fhir.routes.matchmaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.nanbyo.fhir.routes.matchmaker.MatchResponse.Match;
import jp.nanbyo.fhir.routes.matchmaker.MatchmakerException.Kind;

/**
 * Reads a node's answers: a 200 into a {@link MatchResponse}, strictly about what MME makes mandatory (our major
 * version in the Content-Type, a {@code results} array, {@code patient.id} and {@code score.patient} in each) and
 * tolerant of everything else, because nodes add fields of their own; an error answer into its short
 * {@code message}. Anything else in a 200 means we are not talking to an MME node (a proxy's page, a wrong URL).
 */
final class MatchResponseReader {

    private static final Pattern MME_MEDIA_TYPE =
            Pattern.compile("\\s*application/vnd\\.ga4gh\\.matchmaker\\.v(\\d+)\\.(\\d+)\\+json\\s*(;.*)?",
                    Pattern.CASE_INSENSITIVE);
    private static final int MESSAGE_LIMIT = 200;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String mediaType;
    private final int majorVersion;

    /** @param mediaType the one we sent; a minor version of the same major is accepted in return */
    MatchResponseReader(String mediaType) {
        this.mediaType = mediaType;
        this.majorVersion = majorVersion(mediaType).orElseThrow();
    }

    MatchResponse read(URI url, HttpResponse<byte[]> response) throws MatchmakerException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        OptionalInt major = majorVersion(contentType);
        if (major.isEmpty() || major.getAsInt() != majorVersion) {
            throw notMme(url, "its Content-Type is '" + shorten(contentType) + "', not " + mediaType
                    + " or another minor version of it");
        }
        JsonNode root;
        try {
            root = mapper.readTree(response.body());
        } catch (IOException e) {
            throw notMme(url, "its body is not JSON");
        }
        if (root == null || !root.path("results").isArray()) {
            throw notMme(url, "its body has no results array");
        }
        List<Match> matches = new ArrayList<>();
        for (JsonNode result : root.get("results")) {
            JsonNode patient = result.path("patient");
            JsonNode score = result.path("score").path("patient");
            if (!patient.path("id").isTextual() || !score.isNumber()) {
                throw notMme(url, "a result lacks patient.id or score.patient");
            }
            matches.add(new Match(score.asDouble(), patient.get("id").asText(), text(patient, "label"),
                    text(patient.path("contact"), "name"), text(patient.path("contact"), "href"),
                    text(patient.path("contact"), "institution"), observedFeatures(patient), genes(patient),
                    result.toString()));
        }
        return new MatchResponse(matches);
    }

    private static List<String> observedFeatures(JsonNode patient) {
        List<String> ids = new ArrayList<>();
        for (JsonNode feature : patient.path("features")) {
            if (feature.path("id").isTextual() && !"no".equals(feature.path("observed").asText())) {
                ids.add(feature.get("id").asText());
            }
        }
        return ids;
    }

    private static List<String> genes(JsonNode patient) {
        List<String> ids = new ArrayList<>();
        for (JsonNode genomicFeature : patient.path("genomicFeatures")) {
            JsonNode id = genomicFeature.path("gene").path("id");
            if (id.isTextual()) {
                ids.add(id.asText());
            }
        }
        return ids;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() ? value.asText() : null;
    }

    private static MatchmakerException notMme(URI url, String why) {
        return new MatchmakerException(Kind.REJECTED, 200,
                url + " answered HTTP 200 but not as a Matchmaker Exchange node: " + why, null);
    }

    /** The partner's {@code "message"} (MME error bodies carry one), short and on one line; never our request. */
    String partnerMessage(byte[] body) {
        try {
            JsonNode message = mapper.readTree(body).path("message");
            return message.isTextual() ? ": " + shorten(message.asText()) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= MESSAGE_LIMIT ? line : line.substring(0, MESSAGE_LIMIT) + "…";
    }

    /** The major version of an MME media type ({@code 1} for {@code …matchmaker.v1.1+json; charset=UTF-8}). */
    static OptionalInt majorVersion(String contentType) {
        Matcher matcher = MME_MEDIA_TYPE.matcher(contentType == null ? "" : contentType);
        return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }
}
