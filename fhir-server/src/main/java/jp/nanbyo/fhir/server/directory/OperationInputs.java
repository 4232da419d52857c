package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.ZoneId;
import jp.nanbyo.fhir.routes.designation.JapaneseDates;
import org.hl7.fhir.r4.model.StringType;

/** What the directory operations' parameters have in common: optional text, and dates as offices write them. */
final class OperationInputs {

    /** "Today" for a Japanese network is today in Japan, whatever the server's clock zone. */
    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private OperationInputs() {
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
