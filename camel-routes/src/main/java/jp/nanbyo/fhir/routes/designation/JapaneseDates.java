package jp.nanbyo.fhir.routes.designation;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates as prefectures write them: Gregorian ({@code 2025-04-01}, {@code 2025/4/1},
 * {@code 2025.4.1}, {@code 2025年4月1日}, {@code 20250401}) and Japanese era
 * ({@code 令和7年4月1日}, {@code 令和元年5月1日}, {@code R7.4.1}, {@code H31/4/30}, {@code s64.1.7}).
 *
 * <p>A date outside its era is invalid (令和1年4月30日 did not exist: 令和 began on 2019-05-01).
 */
public final class JapaneseDates {

    /** The accepted forms, for reasons shown to the operator. */
    static final String ACCEPTED_FORMS =
            "2025-04-01, 2025/4/1, 2025.4.1, 2025年4月1日, 20250401, 令和7年4月1日, 令和元年5月1日, R7.4.1, R7/4/1";

    private static final Pattern GREGORIAN_SEPARATED =
            Pattern.compile("(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})");
    private static final Pattern GREGORIAN_KANJI = Pattern.compile("(\\d{4})年(\\d{1,2})月(\\d{1,2})日");
    private static final Pattern GREGORIAN_COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    // Era name or letter, year (元 = 1), then either 年月日 or separators: 令和7年4月1日, R07.04.01.
    private static final Pattern ERA = Pattern.compile(
            "(令和|平成|昭和|[RHSrhs])(元|\\d{1,2})(?:年(\\d{1,2})月(\\d{1,2})日|([-/.])(\\d{1,2})\\5(\\d{1,2}))");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private enum Era {
        REIWA("令和", "R", LocalDate.of(2019, 5, 1), LocalDate.MAX),
        HEISEI("平成", "H", LocalDate.of(1989, 1, 8), LocalDate.of(2019, 4, 30)),
        SHOWA("昭和", "S", LocalDate.of(1926, 12, 25), LocalDate.of(1989, 1, 7));

        private final String kanji;
        private final String letter;
        private final LocalDate first;
        private final LocalDate last;

        Era(String kanji, String letter, LocalDate first, LocalDate last) {
            this.kanji = kanji;
            this.letter = letter;
            this.first = first;
            this.last = last;
        }

        static Era named(String name) {
            for (Era era : values()) {
                if (era.kanji.equals(name) || era.letter.equalsIgnoreCase(name)) {
                    return era;
                }
            }
            throw new IllegalArgumentException(name);
        }

        /** Year 1 of an era is the Gregorian year it began in. */
        int gregorianYear(int eraYear) {
            return first.getYear() - 1 + eraYear;
        }

        boolean contains(LocalDate date) {
            return !date.isBefore(first) && !date.isAfter(last);
        }
    }

    private JapaneseDates() {}

    /** ISO and Japanese-era forms; empty Optional when the text is not a valid date. */
    public static Optional<LocalDate> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // 全角 digits and ㋿-style ligatures become ASCII and 令和; spaces inside are allowed.
        String compact = WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll("");
        Matcher m;
        if ((m = GREGORIAN_SEPARATED.matcher(compact)).matches()) {
            return date(m.group(1), m.group(3), m.group(4));
        }
        if ((m = GREGORIAN_KANJI.matcher(compact)).matches() || (m = GREGORIAN_COMPACT.matcher(compact)).matches()) {
            return date(m.group(1), m.group(2), m.group(3));
        }
        if ((m = ERA.matcher(compact)).matches()) {
            boolean kanjiForm = m.group(3) != null;
            return eraDate(Era.named(m.group(1)), m.group(2),
                    kanjiForm ? m.group(3) : m.group(6), kanjiForm ? m.group(4) : m.group(7));
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> eraDate(Era era, String eraYear, String month, String day) {
        int year = "元".equals(eraYear) ? 1 : Integer.parseInt(eraYear);
        if (year < 1) {
            return Optional.empty();
        }
        return date(era.gregorianYear(year), Integer.parseInt(month), Integer.parseInt(day)).filter(era::contains);
    }

    private static Optional<LocalDate> date(String year, String month, String day) {
        return date(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
    }

    private static Optional<LocalDate> date(int year, int month, int day) {
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException impossible) {
            return Optional.empty();
        }
    }
}
