package jp.nanbyo.fhir.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU a benchmark phase used, beside its wall time: on 2 cores the JIT compiler of a freshly started server takes a
 * large and varying share, and CPU seconds say what a phase costs better than wall time does. Counts this JVM's CPU,
 * and of it the JIT compiler's and the garbage collector's threads (read per thread from {@code /proc/self/task},
 * Linux only: the JVM's own counters give their elapsed time, which on a busy machine includes waiting for a core),
 * and the whole machine's busy time from {@code /proc/stat} (the embedded PostgreSQL runs as its own processes).
 */
public record CpuUse(double wallSeconds, double jvmSeconds, double compilerSeconds, double gcSeconds, double machineSeconds,
        Map<String, Double> secondsByThreadName) {

    /** Linux reports {@code /proc} times in USER_HZ, 100 per second on every common platform. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Counters at the start of a phase. */
    public record Start(long wallNanos, long jvmNanos, Map<String, ThreadTicks> threadTicks, long machineTicks) {
        public CpuUse stop() {
            Start end = start();
            double compiler = 0;
            double gc = 0;
            Map<String, Double> byName = new HashMap<>();
            // A thread that ended meanwhile is not counted.
            for (Map.Entry<String, ThreadTicks> thread : end.threadTicks.entrySet()) {
                ThreadTicks before = threadTicks.get(thread.getKey());
                double seconds = (thread.getValue().ticks() - (before == null ? 0 : before.ticks())) / TICKS_PER_SECOND;
                String name = thread.getValue().name();
                if (name.contains("CompilerThre")) {
                    compiler += seconds;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gc += seconds;
                }
                byName.merge(name.replaceAll("[0-9]+", "N"), seconds, Double::sum); // a pool's threads together
            }
            return new CpuUse((end.wallNanos - wallNanos) / 1e9, (end.jvmNanos - jvmNanos) / 1e9, compiler, gc,
                    machineTicks < 0 || end.machineTicks < 0 ? Double.NaN : (end.machineTicks - machineTicks) / TICKS_PER_SECOND,
                    byName);
        }
    }

    /** A thread's name (as Linux shows it) and CPU so far (user and system). */
    record ThreadTicks(String name, long ticks) {
    }

    /** The JVM's -XX flags as given (the compiler setting decides much of a 2-core figure), or "JVM defaults". */
    public static String jvmFlags() {
        String flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-XX:") && !argument.startsWith("-XX:StartFlightRecording")
                        && !argument.startsWith("-XX:FlightRecorderOptions"))
                .collect(Collectors.joining(" "));
        return flags.isEmpty() ? "JVM defaults" : flags;
    }

    public static Start start() {
        long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new Start(System.nanoTime(), jvm, jvmThreadTicks(), machineBusyTicks());
    }

    /** CPU of this JVM per unit of work (a resource written, a referral), in milliseconds. */
    public double jvmMillisPer(int units) {
        return units == 0 ? Double.NaN : jvmSeconds * 1000 / units;
    }

    /** One line: CPU seconds and cores busy, the JIT compiler's and GC's share, the machine's. */
    public String describe() {
        return String.format("CPU: JVM %.1f s (%.2f cores; JIT compiler %.1f s, GC %.1f s), machine %.1f s (%.2f cores)",
                jvmSeconds, jvmSeconds / wallSeconds, compilerSeconds, gcSeconds, machineSeconds, machineSeconds / wallSeconds);
    }

    /**
     * The threads using the most CPU, with the seconds each group used: "http-nio-auto-N 28.1 s, …" (Linux shows a
     * thread's name cut to 15 characters).
     */
    public String busiestThreads(int count) {
        return secondsByThreadName.entrySet().stream().filter(thread -> thread.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(count)
                .map(thread -> String.format("%s %.1f s", thread.getKey(), thread.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** The threads of this JVM by thread id. */
    private static Map<String, ThreadTicks> jvmThreadTicks() {
        Map<String, ThreadTicks> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // After the ")" closing the name: state is field 3, utime 14 and stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(task.getFileName().toString(), new ThreadTicks(name,
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
                } catch (IOException | RuntimeException threadEnded) {
                    // gone between listing and reading
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            return Map.of();
        }
        return ticks;
    }

    private static long machineBusyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
            long[] ticks = Arrays.stream(cpu).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
            return ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
