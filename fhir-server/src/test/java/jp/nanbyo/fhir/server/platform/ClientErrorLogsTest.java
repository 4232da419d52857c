package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClientErrorLogsTest {

    /** HAPI's message when an interceptor throws, with the pointcut, the exception's text and the exception. */
    private static final String INTERCEPTOR_FAILURE = "Exception thrown by interceptor for pointcut {}: {}";

    private final LoggerContext context = new LoggerContext();
    private final ClientErrorLogs filter = new ClientErrorLogs();
    private final ListAppender<ILoggingEvent> clientErrors = new ListAppender<>();

    @BeforeEach
    void listen() {
        clientErrors.start();
        ((Logger) LoggerFactory.getLogger(ClientErrorLogs.CLIENT_ERRORS.getName())).addAppender(clientErrors);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(ClientErrorLogs.CLIENT_ERRORS.getName())).detachAppender(clientErrors);
    }

    @Test
    void aRefusalWithItsOperationOutcomeThrownByOurInterceptorIsLoggedOnceAtInfo() {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setDiagnostics("Organization.identifier: minimum required = 1");
        UnprocessableEntityException refused = new UnprocessableEntityException(FhirContext.forR4Cached(), outcome);

        assertThat(decide(ClientErrorLogs.INTERCEPTORS, Level.ERROR, INTERCEPTOR_FAILURE,
                Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, refused.toString(), refused)).isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).as("HAPI does not log a refusal with an OperationOutcome when the request ends")
                .singleElement().satisfies(line -> {
                    assertThat(line.getLevel()).isEqualTo(Level.INFO);
                    assertThat(line.getFormattedMessage()).isEqualTo("Refused: " + refused);
                });
    }

    @Test
    void aRefusalWithoutOperationOutcomeIsLeftToTheRequestsEnd() {
        InvalidRequestException refused = new InvalidRequestException("say which organization you act for");

        assertThat(decide(ClientErrorLogs.INTERCEPTORS, Level.ERROR, INTERCEPTOR_FAILURE,
                Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, refused.toString(), refused)).isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).as("logged once, when the request ends").isEmpty();
    }

    @Test
    void theRequestsEndLogsTheRefusalOnceAtInfo() {
        String refused = new UnprocessableEntityException("プロファイルに適合しません").toString();

        assertThat(decide(ClientErrorLogs.REQUEST_FAILURES, Level.WARN, ClientErrorLogs.CLIENT_FAILURE_FORMAT, refused))
                .isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).isEqualTo("Refused: " + refused);
        });
    }

    @Test
    void somethingHapiCouldNotReadIsARefusalToo() {
        DataFormatException unreadable = new DataFormatException("HAPI-1882: Invalid date/time format: \"2026-13-45\"");

        // As HAPI logs it, message and exception, before it answers 400.
        assertThat(filter.decide(null, context.getLogger(ClientErrorLogs.REQUEST_FAILURES), Level.ERROR,
                "Failure during REST processing: " + unreadable, null, unreadable)).isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage())
                    .isEqualTo("Refused: ca.uhn.fhir.parser.DataFormatException: HAPI-1882: Invalid date/time format: \"…\"");
        });
    }

    @Test
    void whatTheClientSentIsLeftOutOfTheLineItsWordsAreKept() {
        String matchUrl = new InvalidRequestException("HAPI-0958: Failed to CREATE Patient with match URL \"identifier=SECRET-ID-777\""
                + " because this search matched 2 resources").toString();
        assertThat(decide(ClientErrorLogs.REQUEST_FAILURES, Level.WARN, ClientErrorLogs.CLIENT_FAILURE_FORMAT, matchUrl))
                .isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("Failed to CREATE Patient with match URL \"…\" because this search matched 2 resources")
                .doesNotContain("SECRET-ID-777");

        assertThat(ClientErrorLogs.withoutValues("The value '1971-02-30' is not a valid date; the patient's birth date"))
                .isEqualTo("The value '…' is not a valid date; the patient's birth date");
        assertThat(ClientErrorLogs.withoutValues("municipality: 「東京都千代田区」は名簿にある市区町村ではありません"))
                .isEqualTo("municipality: 「…」は名簿にある市区町村ではありません");
        assertThat(ClientErrorLogs.withoutValues("no quotes, $1 and \\ kept")).isEqualTo("no quotes, $1 and \\ kept");
    }

    @Test
    void aValueTheParserReadLenientlyIsNotedAtInfoWithoutTheValue() {
        // As HAPI's LenientErrorHandler logs an invalid value of a request's body (an empty string, a birth date).
        assertThat(decide(ClientErrorLogs.LENIENT_PARSER, Level.WARN, "{}Invalid attribute value \"{}\": {}",
                "[element=\"birthDate\"] ", "1971-02-30", "Invalid date")).isEqualTo(FilterReply.DENY);
        assertThat(clientErrors.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).isEqualTo("Read leniently: [element=\"…\"] Invalid attribute value \"…\": Invalid date");
        });
    }

    @Test
    void aBodyThatCannotBeUnpackedIsLeftToTheRequestsEnd() {
        // HAPI logs the failure to unpack a body sent as gzip that is not, with its stack trace, then answers 400.
        assertThat(filter.decide(null, context.getLogger(ClientErrorLogs.REQUEST_BODY), Level.ERROR, ClientErrorLogs.BODY_UNREADABLE,
                null, new java.util.zip.ZipException("Not in GZIP format"))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, context.getLogger(ClientErrorLogs.REQUEST_BODY), Level.ERROR, ClientErrorLogs.BODY_UNREADABLE,
                null, new IllegalStateException("a bug"))).as("not an unreadable body: kept").isEqualTo(FilterReply.NEUTRAL);
        assertThat(clientErrors.list).isEmpty();
    }

    @Test
    void twoRequestsWritingOneResourceAtOnceAreAConflictNotADatabaseError() {
        // As Hibernate logs it on PostgreSQL (the driver keeping the rows out) and on H2; HAPI answers the loser 409.
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.WARN, "SQL Error: 0, SQLState: 23505")).isEqualTo(FilterReply.DENY);
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.ERROR, "Batch entry 0 <unknown> was aborted: ERROR: duplicate key value"
                + " violates unique constraint \"idx_resver_id_ver\"  Call getNextException to see other errors in the batch."))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.ERROR,
                "ERROR: duplicate key value violates unique constraint \"hfj_res_search_url_pkey\"")).isEqualTo(FilterReply.DENY);
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.ERROR, "Unique index or primary key violation: \"PUBLIC.IDX_RESVER_ID_VER"
                + " ON PUBLIC.HFJ_RES_VER(RES_ID NULLS FIRST, RES_VER NULLS FIRST)\"")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void otherDatabaseErrorsAreKept() {
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.WARN, "SQL Error: 0, SQLState: 08006")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.ERROR,
                "ERROR: duplicate key value violates unique constraint \"nanbyo_referral_outbox_pkey\"")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(ClientErrorLogs.SQL_ERRORS, Level.ERROR, "FATAL: terminating connection due to administrator command"))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void serverErrorsAndOtherFailuresAreLoggedAsHapiLogsThem() {
        InternalErrorException failed = new InternalErrorException("the database is gone");
        IllegalStateException bug = new IllegalStateException("a bug");

        assertThat(decide(ClientErrorLogs.INTERCEPTORS, Level.ERROR, INTERCEPTOR_FAILURE,
                Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, failed.toString(), failed)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(ClientErrorLogs.INTERCEPTORS, Level.ERROR, INTERCEPTOR_FAILURE,
                Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, bug.toString(), bug)).isEqualTo(FilterReply.NEUTRAL);
        // A 5xx at the request's end is logged with its stack trace, a message of another form.
        assertThat(decide(ClientErrorLogs.REQUEST_FAILURES, Level.WARN, "Failure during REST processing", failed))
                .isEqualTo(FilterReply.NEUTRAL);
        // Anything else that is no HTTP answer becomes a 500: still an error.
        assertThat(filter.decide(null, context.getLogger(ClientErrorLogs.REQUEST_FAILURES), Level.ERROR,
                "Failure during REST processing: " + bug, null, bug)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(clientErrors.list).isEmpty();
    }

    @Test
    void aRefusalThatHapiSwallowsKeepsItsErrorLine() {
        // What a hook throws once the answer has gone never reaches the client: HAPI's ERROR line is the only trace.
        UnprocessableEntityException swallowed = new UnprocessableEntityException("thrown after the answer");
        Pointcut pointcut = Pointcut.SERVER_PROCESSING_COMPLETED;
        assertThat(pointcut.isShouldLogAndSwallowException(swallowed)).as("a pointcut whose exceptions HAPI swallows").isTrue();

        assertThat(decide(ClientErrorLogs.INTERCEPTORS, Level.ERROR, INTERCEPTOR_FAILURE, pointcut, swallowed.toString(), swallowed))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void theSameMessagesFromOtherLoggersOrLevelsAreKept() {
        UnprocessableEntityException refused = new UnprocessableEntityException("x");
        assertThat(decide("jp.nanbyo.fhir.Ours", Level.ERROR, INTERCEPTOR_FAILURE,
                Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, refused.toString(), refused)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(ClientErrorLogs.REQUEST_FAILURES, Level.ERROR, ClientErrorLogs.CLIENT_FAILURE_FORMAT, refused.toString()))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(clientErrors.list).isEmpty();
    }

    private FilterReply decide(String logger, Level level, String format, Object... params) {
        return filter.decide(null, context.getLogger(logger), level, format, params, null);
    }
}
