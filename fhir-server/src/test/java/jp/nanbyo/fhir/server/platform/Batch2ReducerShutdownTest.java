package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.batch2.coordinator.ReductionStepExecutorServiceImpl;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against HAPI's real reduction step service: if HAPI renames or drops its executors, this says so. */
class Batch2ReducerShutdownTest {

    @Test
    void bothOfHapisReducerExecutorsAreFoundAndShutDownSoTheirThreadsEnd() throws Exception {
        ReductionStepExecutorServiceImpl reducer = new ReductionStepExecutorServiceImpl(null, null, null, null, null);
        List<ExecutorService> executors = Batch2ReducerShutdown.executorsOf(reducer);
        assertThat(executors).as("batch2-reducer and batch2-reducer-chunk").hasSize(2);
        for (ExecutorService executor : executors) {
            executor.submit(() -> { }).get(); // the thread exists now, as after the first reduction
        }
        assertThat(threadNamed("batch2-reducer")).isTrue();

        new Batch2ReducerShutdown(reducer).destroy();

        for (ExecutorService executor : executors) {
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).as("shut down, its thread ended").isTrue();
        }
    }

    private static boolean threadNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().startsWith(prefix));
    }
}
