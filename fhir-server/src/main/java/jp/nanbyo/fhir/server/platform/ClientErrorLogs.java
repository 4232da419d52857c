package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.interceptor.api.IPointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * A request the server refuses (4xx: a resource that does not conform, an illegal referral transition, a missing
 * header) is the client's mistake, not the server's: it is logged once, at INFO, and never as a warning or an error,
 * so that a {@code WARN} or {@code ERROR} line keeps meaning that an operator should look. HAPI logs a refusal as an
 * ERROR with its stack trace when one of our interceptors threw it ({@code BaseInterceptorService}, whatever the
 * exception), and as a WARN line when the request ends if it carries no OperationOutcome
 * ({@code ExceptionHandlingInterceptor}), or as an ERROR with its stack trace if it could not read what was sent
 * (a {@code DataFormatException}, answered 400): once or twice, at the wrong level. Two requests writing one resource
 * at once are the same: the one that lost is answered 409, yet Hibernate logs the database's refusal as a WARN and
 * ERRORs. Server errors (5xx) and any other failure are logged as before.
 *
 * <p>What a client sent may be personal data (a patient's identifier in a conditional create's match URL, a birth date
 * HAPI could not read): the line keeps the message's words and leaves out what it quotes. The client has the whole
 * message in its OperationOutcome. HAPI's parser warns of a value it read leniently (an empty string) in the same way,
 * quoting it: that line goes to INFO too, without the value.
 */
public final class ClientErrorLogs extends TurboFilter {

    static final String INTERCEPTORS = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";
    static final String REQUEST_FAILURES = "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor";
    /** What HAPI logs for a failure under 500 (one line, the exception's text); 5xx are logged with their stack trace. */
    static final String CLIENT_FAILURE_FORMAT = "Failure during REST processing: {}";

    /** HAPI's reading of a request's body: a body it cannot unpack (not gzip) is logged here, then answered 400. */
    static final String REQUEST_BODY = "ca.uhn.fhir.rest.server.servlet.ServletRequestDetails";
    static final String BODY_UNREADABLE = "Could not load request resource";
    /** HAPI's parser, which reads past what is wrong with a body (an empty value, an unknown element) and warns of it. */
    static final String LENIENT_PARSER = "ca.uhn.fhir.parser.LenientErrorHandler";

    /** What a message quotes: "…", '…' (not an apostrophe) and 「…」. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"\n]*\"|(?<![\\p{L}\\p{N}])'[^'\n]*'(?![\\p{L}\\p{N}])|「[^」\n]*」");

    static final String SQL_ERRORS = "org.hibernate.engine.jdbc.spi.SqlExceptionHelper";
    /**
     * The unique keys by which HAPI detects two requests writing one resource at once (two versions of a number, two
     * conditional creates of one match URL); HAPI turns their violation into a 409 for the request that lost.
     */
    private static final List<String> CONCURRENT_WRITE_KEYS = List.of("idx_resver_id_ver", "hfj_res_search_url");
    private static final String UNIQUE_VIOLATION = "SQLState: 23505";

    /** Where the one line per refused request goes. */
    static final org.slf4j.Logger CLIENT_ERRORS = LoggerFactory.getLogger("jp.nanbyo.fhir.server.ClientErrors");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Logback asks before it checks the level, for every log call: debug calls leave at once.
        if (!level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (level == Level.ERROR && INTERCEPTORS.equals(name)
                && lastOf(params, t) instanceof BaseServerResponseException refusal && isClientError(refusal)
                && reachesTheClient(params, refusal)) {
            // HAPI logs a refusal at the request's end (below) only when it has no OperationOutcome.
            return refusal.getOperationOutcome() != null ? refused(refusal) : FilterReply.DENY;
        }
        if (level == Level.WARN && REQUEST_FAILURES.equals(name) && CLIENT_FAILURE_FORMAT.equals(format)
                && params != null && params.length == 1) {
            return refused(params[0]);
        }
        if (level == Level.ERROR && REQUEST_FAILURES.equals(name) && lastOf(params, t) instanceof DataFormatException unreadable) {
            // Something the client sent that HAPI could not read (a search parameter's date, a body): HAPI answers 400
            // for it, always, yet logs it as an ERROR with its stack trace, being no HTTP answer itself.
            return refused(unreadable);
        }
        if (level == Level.ERROR && REQUEST_BODY.equals(name) && BODY_UNREADABLE.equals(format) && t instanceof IOException) {
            return FilterReply.DENY; // HAPI answers 400 and the request's end logs that refusal
        }
        if (level == Level.WARN && LENIENT_PARSER.equals(name) && format != null) {
            CLIENT_ERRORS.info("Read leniently: {}", withoutValues(MessageFormatter.arrayFormat(format, params).getMessage()));
            return FilterReply.DENY;
        }
        if (SQL_ERRORS.equals(name) && isWriteConflict(level, format)) {
            return FilterReply.DENY; // HAPI answers 409 and the request's end logs that refusal
        }
        return FilterReply.NEUTRAL;
    }

    /** The one line of a refusal, in place of HAPI's: its text, no stack trace (SLF4J would print one for a Throwable). */
    private static FilterReply refused(Object refusal) {
        CLIENT_ERRORS.info("Refused: {}", withoutValues(String.valueOf(refusal)));
        return FilterReply.DENY;
    }

    /** The message with what it quotes left out: {@code match URL "identifier=…"} becomes {@code match URL "…"}. */
    static String withoutValues(String message) {
        return QUOTED.matcher(message).replaceAll(quoted -> {
            String text = quoted.group();
            return Matcher.quoteReplacement(text.charAt(0) + "…" + text.charAt(text.length() - 1));
        });
    }

    /**
     * Hibernate's lines about a write conflict: a WARN with the SQL state of a unique key's violation (any key: for
     * another key the ERROR line naming it stays), and the ERROR lines naming one of HAPI's concurrent-write keys.
     */
    private static boolean isWriteConflict(Level level, String message) {
        if (message == null) {
            return false;
        }
        if (level == Level.WARN) {
            return message.endsWith(UNIQUE_VIOLATION);
        }
        String lowerCase = message.toLowerCase(Locale.ROOT);
        return level == Level.ERROR && CONCURRENT_WRITE_KEYS.stream().anyMatch(lowerCase::contains);
    }

    /** The throwable of a log call: given apart, or as the last argument (SLF4J's convention). */
    private static Object lastOf(Object[] params, Throwable t) {
        return t != null ? t : params == null || params.length == 0 ? null : params[params.length - 1];
    }

    /** HAPI swallows what some pointcuts throw: then its ERROR line is all there is, and stays. */
    private static boolean reachesTheClient(Object[] params, Throwable thrown) {
        return params != null && params.length > 0 && params[0] instanceof IPointcut pointcut
                && !pointcut.isShouldLogAndSwallowException(thrown);
    }

    private static boolean isClientError(BaseServerResponseException answer) {
        return answer.getStatusCode() >= 400 && answer.getStatusCode() < 500;
    }
}
