package jp.nanbyo.fhir.server.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets at most a few searches (and operations called with GET, which only read) run in HAPI at once; the others
 * wait their turn, first come first served. Searches are CPU work for the server and the database alike: sixteen
 * at once on two cores each take sixteen times as long, and a request that needs a millisecond (an answer from
 * memory, a write) waits behind all of them for its share of a core. Admitted a few at a time, the searches
 * finish at the same rate and the quick requests stay quick. Writes are not held: they wait on the disk as much
 * as on the cores.
 *
 * <p>A search that has waited {@link #LONGEST_WAIT} runs anyway, so a stuck search can slow the others but never
 * stop them.
 */
@Interceptor
class SearchAdmission {

    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    /** After the directory's answer from memory at the same pointcut, which never needs a turn. */
    static final int ORDER = 1_000;
    private static final Set<RestOperationTypeEnum> SEARCHES =
            EnumSet.of(RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM, RestOperationTypeEnum.GET_PAGE);
    private static final Set<RestOperationTypeEnum> OPERATIONS = EnumSet.of(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
            RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);
    private static final String ADMITTED = SearchAdmission.class.getName() + ".admitted";

    private final Semaphore turns;

    SearchAdmission(int concurrentSearches) {
        this.turns = new Semaphore(concurrentSearches, true);
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
    public boolean admit(RequestDetails request) throws InterruptedException {
        boolean search = SEARCHES.contains(request.getRestOperationType())
                || (OPERATIONS.contains(request.getRestOperationType()) && request.getRequestType() == RequestTypeEnum.GET);
        if (search && turns.tryAcquire(LONGEST_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            request.getUserData().put(ADMITTED, Boolean.TRUE);
        }
        return true;
    }

    /** HAPI calls this however the request ended, an exception included. */
    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void done(RequestDetails request) {
        if (request.getUserData().remove(ADMITTED) != null) {
            turns.release();
        }
    }

    int waiting() {
        return turns.getQueueLength();
    }
}
