package jp.nanbyo.fhir.routes.designation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

class DesignationImportServiceTest {

    /** A limit that refuses every list stops the start, naming the keys and the values given. */
    @ParameterizedTest
    @CsvSource({"0B, 5000, PT5M, maximum-file-size (0B)", "10MB, 0, PT5M, maximum-rows (0)", "10MB, -1, PT5M, maximum-rows (-1)",
            "10MB, 5000, PT0S, answer-timeout (PT0S)", "10MB, 5000, PT720H, answer-timeout (PT720H)"})
    void aLimitThatWouldRefuseEverythingStopsTheStartNamingTheKey(String fileSize, int rows, String timeout, String named) {
        assertThatThrownBy(() -> new DesignationImportService(new StandardEnvironment(),
                new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class), DataSize.parse(fileSize), rows,
                Duration.parse(timeout)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("nanbyo.designation-import.maximum-file-size")
                .hasMessageContaining(named);
    }
}
