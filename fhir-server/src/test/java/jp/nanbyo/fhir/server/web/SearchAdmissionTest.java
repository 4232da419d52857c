package jp.nanbyo.fhir.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Searches take turns; everything else goes straight through; a turn is given back however the request ends. */
class SearchAdmissionTest {

    @Test
    void aSearchBeyondTheLimitWaitsForAnEarlierOneToFinish() throws Exception {
        SearchAdmission admission = new SearchAdmission(2);
        SystemRequestDetails first = request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET);
        SystemRequestDetails second = request(RestOperationTypeEnum.GET_PAGE, RequestTypeEnum.GET);
        assertThat(admission.admit(first)).isTrue();
        assertThat(admission.admit(second)).isTrue();

        SystemRequestDetails third = request(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, RequestTypeEnum.GET);
        CompletableFuture<Boolean> admitted = CompletableFuture.supplyAsync(() -> admitQuietly(admission, third));
        awaitWaiting(admission, 1);
        assertThat(admitted).isNotDone();

        admission.done(first);
        assertThat(admitted.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(admission.waiting()).isZero();
    }

    @Test
    void writesReadsByIdAndPostedOperationsNeverWait() throws Exception {
        SearchAdmission admission = new SearchAdmission(1);
        assertThat(admission.admit(request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET))).isTrue();
        for (SystemRequestDetails other : new SystemRequestDetails[] {
                request(RestOperationTypeEnum.CREATE, RequestTypeEnum.POST),
                request(RestOperationTypeEnum.TRANSACTION, RequestTypeEnum.POST),
                request(RestOperationTypeEnum.READ, RequestTypeEnum.GET),
                request(RestOperationTypeEnum.HISTORY_TYPE, RequestTypeEnum.GET),
                request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, RequestTypeEnum.POST)}) {
            CompletableFuture<Boolean> admitted = CompletableFuture.supplyAsync(() -> admitQuietly(admission, other));
            assertThat(admitted.get(10, TimeUnit.SECONDS)).as(other.getRestOperationType().name()).isTrue();
            admission.done(other);
        }
        assertThat(admission.waiting()).isZero();
    }

    @Test
    void aTurnIsGivenBackOnceEvenWhenCompletionIsReportedTwice() throws Exception {
        SearchAdmission admission = new SearchAdmission(1);
        SystemRequestDetails search = request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET);
        admission.admit(search);
        admission.done(search);
        admission.done(search);
        admission.done(request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET));

        // One turn, not three: a second search still waits behind the first.
        assertThat(admission.admit(request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET))).isTrue();
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(
                () -> admitQuietly(admission, request(RestOperationTypeEnum.SEARCH_TYPE, RequestTypeEnum.GET)));
        awaitWaiting(admission, 1);
        assertThat(next).isNotDone();
        next.cancel(true);
    }

    private static SystemRequestDetails request(RestOperationTypeEnum operation, RequestTypeEnum method) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRestOperationType(operation);
        request.setRequestType(method);
        return request;
    }

    private static boolean admitQuietly(SearchAdmission admission, SystemRequestDetails request) {
        try {
            return admission.admit(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitWaiting(SearchAdmission admission, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (admission.waiting() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(admission.waiting()).isEqualTo(count);
    }
}
