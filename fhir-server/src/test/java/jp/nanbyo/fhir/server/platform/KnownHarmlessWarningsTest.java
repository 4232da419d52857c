package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class KnownHarmlessWarningsTest {

    private static final String JOBS = "ca.uhn.fhir.log.batch_troubleshooting";
    private static final String HIBERNATE = "org.hibernate.persister.entity.AbstractEntityPersister";
    private static final String TERM_CODE_SYSTEM = "HHH000502: The [myCurrentVersion] property of the"
            + " [ca.uhn.fhir.jpa.entity.TermCodeSystem] entity was modified, but it won't be updated because the property is immutable.";

    private final LoggerContext context = new LoggerContext();
    private final KnownHarmlessWarnings filter = new KnownHarmlessWarnings();

    @Test
    void theKnownWarningsAreDropped() {
        assertThat(decide(JOBS, Level.WARN, "job[{}] version: {} already registered.  Not registering again.", "REINDEX", 2))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide(HIBERNATE, Level.WARN, TERM_CODE_SYSTEM)).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.springframework.context.support.PostProcessorRegistrationDelegate$BeanPostProcessorChecker",
                Level.WARN, "Bean 'ca.uhn.fhir.jpa.config.BeanPostProcessorConfig' of type [ca.uhn.fhir.jpa.config."
                        + "BeanPostProcessorConfig$$SpringCGLIB$$0] is not eligible for getting processed by all BeanPostProcessors"))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("ca.uhn.fhir.rest.server.method.ResponsePage", Level.WARN, "Returning a next page based on"
                + " calculated resource count. This could be inaccurate if the exact number of resources were fetched is equal to"
                + " the pagesize requested.  Consider setting ResponseBundleBuilder.setTotalResourcesFetchedRequest after fetching"
                + " resources.")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void otherWarningsOfTheSameLoggersAreKept() {
        assertThat(decide(JOBS, Level.WARN, "Maintenance pass failed")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(HIBERNATE, Level.WARN, TERM_CODE_SYSTEM.replace("ca.uhn.fhir.jpa.entity.TermCodeSystem",
                "jp.nanbyo.SomeEntity"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.springframework.context.support.PostProcessorRegistrationDelegate$BeanPostProcessorChecker",
                Level.WARN, "Bean 'ourConfig' of type [jp.nanbyo.OurConfig] is not eligible for getting processed by all"
                        + " BeanPostProcessors")).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void theSameMessageFromAnotherLoggerOrAtAnotherLevelIsKept() {
        assertThat(decide("jp.nanbyo.fhir.Ours", Level.WARN, "job[{}] version: {} already registered.  Not registering again.",
                "REINDEX", 2)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(HIBERNATE, Level.ERROR, TERM_CODE_SYSTEM)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void aWarningKnownAtStartUpIsKeptWhenARequestCausesIt() throws Exception {
        String lenient = "ca.uhn.fhir.parser.LenientErrorHandler";
        String author = "Unknown element '{}' found while parsing"; // as HAPI logs it, the name a parameter
        FilterReply[] onRequestThread = new FilterReply[1];
        Thread request = new Thread(() -> onRequestThread[0] = decide(lenient, Level.WARN, author, "author"), "http-nio-8080-exec-1");
        request.start();
        request.join();
        assertThat(onRequestThread[0]).isEqualTo(FilterReply.NEUTRAL);

        FilterReply[] onMainThread = new FilterReply[1];
        Thread main = new Thread(() -> onMainThread[0] = decide(lenient, Level.WARN, author, "author"), "main");
        main.start();
        main.join();
        assertThat(onMainThread[0]).isEqualTo(FilterReply.DENY);
    }

    private FilterReply decide(String logger, Level level, String format, Object... params) {
        Logger target = context.getLogger(logger);
        return filter.decide(null, target, level, format, params, null);
    }
}
