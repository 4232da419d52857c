package jp.nanbyo.fhir.server.platform;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Drops the warnings that HAPI FHIR and Spring log on every start of this server, or for ordinary requests, although
 * nothing is wrong, so that a warning in the server's log always asks an operator to look. Each is matched narrowly, by
 * logger and by what its message names, and says below why it is harmless; every other warning of the same loggers is
 * logged as before.
 */
public final class KnownHarmlessWarnings extends TurboFilter {

    /** A warning by its logger and what its message names; some only while the server starts (on the main thread). */
    private record Known(String logger, boolean startUpOnly, List<String> messageParts) {

        Known(String logger, String... messageParts) {
            this(logger, false, List.of(messageParts));
        }

        static Known atStartUp(String logger, String... messageParts) {
            return new Known(logger, true, List.of(messageParts));
        }

        boolean matches(String loggerName, String message) {
            return logger.equals(loggerName) && messageParts.stream().allMatch(message::contains)
                    && (!startUpOnly || "main".equals(Thread.currentThread().getName()));
        }
    }

    private static final List<Known> KNOWN = List.of(
            // HAPI 8.8 stores a code system by changing relations that it maps as not updatable, and writes their columns
            // itself: a pair per code system on a first start (hapifhir/hapi-fhir#7883, fixed in a later HAPI).
            new Known("org.hibernate.persister.entity.AbstractEntityPersister", "HHH000502", "ca.uhn.fhir.jpa.entity.TermCodeSystem"),
            // ConformanceConfig registers HAPI's batch job definitions before it installs the conformance package (new
            // search parameters start a reindex job); HAPI registers them again at context refresh and warns once per job.
            new Known("ca.uhn.fhir.log.batch_troubleshooting", "already registered.  Not registering again."),
            // HAPI's configuration declares a bean post-processor in a way Spring reports; nothing of ours is affected.
            new Known("org.springframework.context.support.PostProcessorRegistrationDelegate$BeanPostProcessorChecker",
                    "'ca.uhn.fhir.jpa.config.BeanPostProcessorConfig'"),
            // The base R4 value sets HAPI ships (valuesets.xml, v2-tables.xml, v3-codesystems.xml) carry an element R4 does
            // not have; the validator's warm-up loads them. A client's resource with that element is still logged.
            Known.atStartUp("ca.uhn.fhir.parser.LenientErrorHandler", "Unknown element 'author' found while parsing"),
            // Every full page of a history (ITI-91 `_history?_since=&_count=`, what the directory sync reads) gets a next
            // link that may lead to an empty page when the history ends exactly there; an empty last page is valid FHIR and
            // our sync, like any client, follows next links until there is none.
            new Known("ca.uhn.fhir.rest.server.method.ResponsePage", "Returning a next page based on calculated resource count"));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null) {
            return FilterReply.NEUTRAL;
        }
        String message = params == null ? format : MessageFormatter.arrayFormat(format, params).getMessage();
        return KNOWN.stream().anyMatch(known -> known.matches(logger.getName(), message)) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /**
     * Adds this filter and {@link ClientErrorLogs} right after Spring Boot has set Logback up (which drops earlier
     * filters), before any bean is made. Listed in {@code META-INF/spring.factories}, so every way of starting the server
     * has them.
     */
    public static final class Installer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                install(logback, new KnownHarmlessWarnings());
                install(logback, new ClientErrorLogs());
            }
        }

        private static void install(LoggerContext logback, TurboFilter filter) {
            if (logback.getTurboFilterList().stream().noneMatch(filter.getClass()::isInstance)) {
                filter.setContext(logback);
                filter.start();
                logback.addTurboFilter(filter);
            }
        }

        @Override
        public int getOrder() {
            return LoggingApplicationListener.DEFAULT_ORDER + 1;
        }
    }
}
