package jp.nanbyo.fhir.server;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * For benchmarks: the CPU time (user and system) each kind of HTTP request takes on the server's request thread,
 * from the first filter to the answer written. Sampling profilers give shares of samples, which misread work spent in
 * the kernel or in short requests (a JFR recording put the route's search of a Task at 11 % of a referral; this
 * counter found 7.7 of about 45 ms). Work a request hands to other threads (HAPI's batch entries) is not counted.
 * Import {@link Config} into a benchmark's context and name the kinds with {@link #kinds}.
 */
public final class RequestCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Map<String, LongAdder[]> BY_KIND = new ConcurrentHashMap<>();
    private static volatile Function<HttpServletRequest, String> kinds = request -> request.getMethod() + " " + request.getRequestURI();

    private RequestCpu() {
    }

    /** How requests are told apart in {@link #takeSummary()}; by default method and path. */
    public static void kinds(Function<HttpServletRequest, String> kindOfRequest) {
        kinds = kindOfRequest;
    }

    /** One line per kind of request since the last call (count and CPU per request), and starts counting again. */
    public static String takeSummary() {
        Map<String, String> lines = new TreeMap<>();
        for (String kind : BY_KIND.keySet()) {
            LongAdder[] counted = BY_KIND.remove(kind);
            long requests = counted[0].sum();
            lines.put(kind, String.format("%s: %d, %.1f ms of CPU each", kind, requests, counted[1].sum() / 1e6 / requests));
        }
        return lines.values().stream().map(line -> "    server CPU per request, " + line).collect(Collectors.joining("\n"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        FilterRegistrationBean<Filter> requestCpu() {
            Filter filter = (request, response, chain) -> {
                long before = THREADS.getCurrentThreadCpuTime();
                try {
                    chain.doFilter(request, response);
                } finally {
                    long used = THREADS.getCurrentThreadCpuTime() - before;
                    LongAdder[] counted = BY_KIND.computeIfAbsent(kinds.apply((HttpServletRequest) request),
                            kind -> new LongAdder[] {new LongAdder(), new LongAdder()});
                    counted[0].increment();
                    counted[1].add(used);
                }
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
            registration.addUrlPatterns("/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
