package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.nanbyo.fhir.routes.designation.JapaneseDates;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/** What the directory operations' parameters have in common: optional text, and dates as offices write them. */
final class OperationInputs {

    /** "Today" for a Japanese network is today in Japan, whatever the server's clock zone. */
    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private OperationInputs() {
    }

    /**
     * Every parameter of the directory operations is single: HAPI would use the first of a repeated one and drop the
     * others unsaid, so a client asking for two services would get the first only. Refused instead, naming it. So is a
     * parameter the operation does not take: HAPI ignores it, so a misspelt one ({@code roll=hub-hospital}) would answer
     * as if it were not there (every role). FHIR's own {@code _format}, {@code _pretty}… are left to HAPI.
     *
     * @param accepted the operation's parameters
     */
    static void checkGiven(RequestDetails request, List<String> accepted) {
        Map<String, Long> given = new TreeMap<>();
        request.getParameters().forEach((name, values) -> given.merge(name, (long) values.length, Long::sum));
        if (request.getResource() instanceof Parameters body) {
            body.getParameter().forEach(parameter -> given.merge(parameter.getName(), 1L, Long::sum));
        }
        given.forEach((name, times) -> {
            if (!accepted.contains(name) && !name.startsWith("_")) {
                String all = String.join(", ", accepted);
                throw new InvalidRequestException(("%s: この操作のパラメーターではありません。使えるのは %s です"
                        + " (not a parameter of this operation, which takes %s)").formatted(name, all, all));
            }
            if (times > 1) {
                throw new InvalidRequestException(("%s: %d 回指定されています。1 つだけ指定してください (given %d times; give it once)")
                        .formatted(name, times, times));
            }
        });
    }

    static String text(StringType parameter) {
        return parameter == null || parameter.isEmpty() || parameter.getValue().isBlank() ? null : parameter.getValue().strip();
    }

    /** ISO ({@code 2025-04-01}) or the Japanese era forms of the designation lists ({@code 令和7年4月1日}, {@code R7.4.1}); default today. */
    static LocalDate date(StringType parameter) {
        String text = text(parameter);
        if (text == null) {
            return LocalDate.now(JAPAN);
        }
        return JapaneseDates.parse(text).orElseThrow(() -> new InvalidRequestException(
                "date: 「%s」は日付ではありません (not a date). 例 (e.g.): 2025-04-01, 令和7年4月1日, R7.4.1".formatted(text)));
    }
}
