package jp.nanbyo.fhir.profiles.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * Lays out the SUSHI project that the build compiles, from scratch every time: a copy of
 * {@code src/main/fsh} (sushi-config.yaml, input/fsh) plus the terminology resources of
 * {@code nanbyo-terminology} in {@code input/resources}. With our CodeSystems and ValueSets there,
 * SUSHI resolves them by name in bindings and codes (it does not check codes against JSON code
 * systems; the validator tests do).
 * Starting from an empty folder means a deleted .fsh file never lingers in the package.
 *
 * <p>It also checks that the SUSHI installed in {@code node_modules} is the one {@code package.json}
 * pins, so a stale install (after a version change, without {@code npm ci}) fails clearly.
 *
 * <p>Arguments: the FSH project in the sources, the folder to create (e.g. {@code target/sushi}) and the
 * folder holding {@code package.json} and {@code node_modules}.
 */
public final class SushiProjectStager {

    private static final String SUSHI = "fsh-sushi";

    private SushiProjectStager() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: SushiProjectStager <src/main/fsh> <target/sushi> <module folder>");
        }
        Path source = Path.of(args[0]);
        Path project = Path.of(args[1]);
        checkInstalledSushi(Path.of(args[2]));
        if (!Files.isRegularFile(source.resolve("sushi-config.yaml"))) {
            throw new IllegalStateException("No sushi-config.yaml in " + source);
        }
        deleteRecursively(project);
        int fsh = copyTree(source, project);
        Path resources = Files.createDirectories(project.resolve("input/resources"));
        Map<String, byte[]> terminology = TerminologyResources.load(SushiProjectStager.class.getClassLoader());
        for (Map.Entry<String, byte[]> file : terminology.entrySet()) {
            Files.write(resources.resolve(file.getKey()), file.getValue());
        }
        System.out.printf("[sushi-project] %s: %d files from %s, %d terminology resources in input/resources%n",
                project, fsh, source, terminology.size());
    }

    /** The fsh-sushi version pinned in package.json must be the one in node_modules. */
    static void checkInstalledSushi(Path module) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String pinned = json.readTree(module.resolve("package.json").toFile())
                .path("devDependencies").path(SUSHI).asText("");
        Path installedJson = module.resolve("node_modules").resolve(SUSHI).resolve("package.json");
        String installed = Files.isRegularFile(installedJson) ? json.readTree(installedJson.toFile()).path("version").asText("") : "none";
        if (pinned.isEmpty() || !pinned.equals(installed)) {
            throw new IllegalStateException(SUSHI + " " + pinned + " is pinned in package.json but " + installed
                    + " is installed in node_modules: run `npm ci` in " + module + " (or mvn -Pnpm-ci)");
        }
    }

    private static int copyTree(Path from, Path to) throws IOException {
        int count = 0;
        try (var files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
                count++;
            }
        }
        return count;
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var files = Files.walk(folder)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
