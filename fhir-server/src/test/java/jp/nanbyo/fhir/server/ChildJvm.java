package jp.nanbyo.fhir.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command that runs a class of this test's class path in a JVM of its own, as on a 2-core machine. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * {@code java -Xmx<maxHeap> <C1 only> -cp <this class path> <main>}, to which the caller adds its arguments. C1
     * only, as docs/operations.md recommends for 2 cores, with the code cache C1 needs: alone, the flag shrinks the
     * cache to 48 MB, which the server fills while it loads the demo network, and the JVM then stops compiling.
     */
    public static List<String> command(String maxHeap, Class<?> main) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
    }
}
