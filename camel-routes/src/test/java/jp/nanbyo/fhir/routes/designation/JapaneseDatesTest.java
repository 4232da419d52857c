package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class JapaneseDatesTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            2025-04-01      | 2025-04-01
            2025/4/1        | 2025-04-01
            2025/04/01      | 2025-04-01
            2025.4.1        | 2025-04-01
            2025年4月1日     | 2025-04-01
            20250401        | 2025-04-01
            ' 2025-04-01 '  | 2025-04-01
            令和7年4月1日    | 2025-04-01
            令和 7 年 4 月 1 日 | 2025-04-01
            令和７年４月１日  | 2025-04-01
            '令和7年　4月1日' | 2025-04-01
            ２０２５－０４－０１ | 2025-04-01
            R7.4.1          | 2025-04-01
            R7/4/1          | 2025-04-01
            R07.04.01       | 2025-04-01
            r7.4.1          | 2025-04-01
            Ｒ７．４．１      | 2025-04-01
            令和9年3月31日   | 2027-03-31
            H27.3.31        | 2015-03-31
            平成27年3月31日  | 2015-03-31
            h31/4/30        | 2019-04-30
            S64.1.7         | 1989-01-07
            s64.1.7         | 1989-01-07
            昭和64年1月7日   | 1989-01-07
            """)
    void readsEveryAcceptedForm(String text, LocalDate expected) {
        assertThat(JapaneseDates.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            令和元年5月1日   | 2019-05-01
            令和1年5月1日    | 2019-05-01
            R1.5.1          | 2019-05-01
            平成31年4月30日  | 2019-04-30
            H31.4.30        | 2019-04-30
            平成元年1月8日   | 1989-01-08
            平成1年1月8日    | 1989-01-08
            昭和64年1月7日   | 1989-01-07
            昭和元年12月25日 | 1926-12-25
            """)
    void acceptsFirstAndLastDaysOfEachEra(String text, LocalDate expected) {
        assertThat(JapaneseDates.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
        "令和1年4月30日",   // before 令和 began
        "令和元年4月30日",
        "R1.4.30",
        "平成31年5月1日",   // after 平成 ended
        "H31.5.1",
        "平成32年1月1日",
        "平成元年1月7日",   // before 平成 began
        "昭和64年1月8日",   // after 昭和 ended
        "昭和元年12月24日", // before 昭和 began
        "令和0年1月1日",
        "R0.1.1"
    })
    void rejectsDatesOutsideTheirEra(String text) {
        assertThat(JapaneseDates.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
        "2025-02-30", "2025/13/01", "2025-04-31", "20250230", "2023-02-29", "令和7年2月29日", "R7.2.30",
        "", "   ", "garbage", "2025", "2025-04", "令和8年9月", "令和8年9月現在", "2025-4/1", "25/4/1",
        "X7.4.1", "大正15年1月1日", "20250401x", "令和七年四月一日"
    })
    void rejectsImpossibleDatesAndGarbage(String text) {
        assertThat(JapaneseDates.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    void rejectsNull(String text) {
        assertThat(JapaneseDates.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"2024-02-29", "令和6年2月29日", "R6.2.29", "平成28年2月29日"})
    void acceptsLeapDays(String text) {
        assertThat(JapaneseDates.parse(text)).isPresent();
    }
}
