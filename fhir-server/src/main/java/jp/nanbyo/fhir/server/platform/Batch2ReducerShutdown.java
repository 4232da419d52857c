package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.batch2.api.IReductionStepExecutorService;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.DisposableBean;

/**
 * Shuts down the executors of HAPI's batch2 reducer when the application context closes. HAPI 8.8 makes two
 * single-thread executors in its reduction step service ({@code batch2-reducer}, {@code batch2-reducer-chunk}) and never
 * shuts them down; their threads are not daemons, so a server whose context was closed through JMX or the actuator
 * (the Postman run's {@code spring-boot:stop}) stayed alive as an idle JVM. The executors are private fields: they are
 * found by type, and if a later HAPI holds none, this only logs that it found none.
 */
final class Batch2ReducerShutdown implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Batch2ReducerShutdown.class);

    private final IReductionStepExecutorService reducer;

    Batch2ReducerShutdown(IReductionStepExecutorService reducer) {
        this.reducer = reducer;
    }

    @Override
    public void destroy() {
        List<ExecutorService> executors = executorsOf(reducer);
        if (executors.isEmpty()) {
            log.debug("HAPI's batch2 reducer holds no executor to shut down");
        }
        executors.forEach(ExecutorService::shutdown);
    }

    /** The executors the service (or the object behind its proxy) holds in its own fields. */
    static List<ExecutorService> executorsOf(Object service) {
        Object target = Objects.requireNonNullElse(AopProxyUtils.getSingletonTarget(service), service);
        List<ExecutorService> executors = new ArrayList<>();
        for (Class<?> type = target.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (ExecutorService.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        if (field.get(target) instanceof ExecutorService executor) {
                            executors.add(executor);
                        }
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        log.warn("HAPI's batch2 reducer: {} cannot be read ({}); its threads may outlive the context",
                                field.getName(), e.getMessage());
                    }
                }
            }
        }
        return executors;
    }
}
