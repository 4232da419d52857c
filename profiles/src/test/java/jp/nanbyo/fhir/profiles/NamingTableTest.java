package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The package holds exactly the artefacts of the naming table (docs/naming.md, read
 * at test time so the two cannot drift apart), each at base + type + id, active, with its name.
 */
class NamingTableTest {

    private static final PackageContents PACKAGE = PackageContents.INSTANCE;
    private static final List<Artefact> ARTEFACTS = NamingTable.read();

    @TestFactory
    Stream<DynamicTest> everyArtefactOfTheNamingTableIsInThePackageActiveAtItsCanonicalUrl() {
        assertThat(ARTEFACTS).as("artefacts read from %s", NamingTable.path()).hasSizeGreaterThan(40);
        return ARTEFACTS.stream().map(a -> DynamicTest.dynamicTest(a.type() + "/" + a.id(), () -> {
            PackageContents.Definition definition = PACKAGE.definitions().stream()
                    .filter(d -> d.type().equals(a.type()) && d.id().equals(a.id()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(a.type() + "/" + a.id() + " is not in package/"));
            assertThat(definition.url()).isEqualTo(a.url());
            assertThat(definition.status()).isEqualTo(PublicationStatus.ACTIVE.toCode());
            if (a.name() != null) {
                assertThat(definition.name()).isEqualTo(a.name());
            }
        }));
    }

    @Test
    void thePackageDefinesNothingTheNamingTableDoesNotList() {
        Set<String> listed = ARTEFACTS.stream().map(a -> a.type() + "/" + a.id()).collect(Collectors.toSet());
        Set<String> defined = PACKAGE.definitions().stream().map(d -> d.type() + "/" + d.id())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(defined).isSubsetOf(listed);
    }

    @Test
    void everyConformanceResourceIsActiveAndNamedNanbyoSomething() {
        assertThat(PACKAGE.definitions()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.status()).as(d.type() + "/" + d.id()).isEqualTo(PublicationStatus.ACTIVE.toCode());
            assertThat(d.name()).as(d.type() + "/" + d.id()).matches("(Nanbyo|JpPrefectureNo)[A-Za-z0-9]*");
        });
    }

    /** One artefact of the naming table; name is null where the table gives none. */
    record Artefact(String type, String id, String name, String url) {
    }

    /** Reads docs/naming.md's tables (CodeSystems, ConceptMaps, profiles and their extension / search-parameter rows, subscription topics). */
    static final class NamingTable {

        private static final Pattern ROW = Pattern.compile("^\\|\\s*(nanbyo-[a-z0-9-]+)\\s*\\|\\s*([^|]*?)\\s*\\|");
        private static final Pattern ID = Pattern.compile("(nanbyo-[a-z0-9-]+)");

        static Path path() {
            return Path.of(System.getProperty("nanbyo.naming-table", "../docs/naming.md"));
        }

        static List<Artefact> read() {
            List<String> lines;
            try {
                lines = Files.readAllLines(path());
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the naming table " + path().toAbsolutePath(), e);
            }
            List<Artefact> artefacts = new ArrayList<>();
            String section = "";
            for (String line : lines) {
                if (line.startsWith("## ")) {
                    section = line;
                    continue;
                }
                Matcher row = ROW.matcher(line);
                if (section.startsWith("## CodeSystems") && row.find()) {
                    artefacts.add(ours("CodeSystem", row.group(1), row.group(2)));
                    // "a ValueSet of the same id": its name is not fixed by the table.
                    artefacts.add(ours("ValueSet", row.group(1), null));
                } else if (section.startsWith("## ConceptMaps") && row.find()) {
                    artefacts.add(ours("ConceptMap", row.group(1), null));
                } else if (section.startsWith("## Profiles") && row.find()) {
                    artefacts.add(ours("StructureDefinition", row.group(1), row.group(2)));
                } else if (section.startsWith("## Profiles") && line.startsWith("| extensions:")) {
                    ids(line).forEach(id -> artefacts.add(ours("StructureDefinition", id, null)));
                } else if (section.startsWith("## Profiles") && line.startsWith("| search parameters:")) {
                    ids(line).forEach(id -> artefacts.add(ours("SearchParameter", id, null)));
                } else if (section.startsWith("## Subscription topics") && row.find()) {
                    artefacts.add(ours("SubscriptionTopic", row.group(1), row.group(2)));
                } else if (line.contains("(id `jp-prefecture-no`")) {
                    // JP Core's prefecture code system, shipped under JP Core's own URL.
                    artefacts.add(new Artefact("CodeSystem", "jp-prefecture-no", "JpPrefectureNo", JpCoreSystems.PREFECTURE_NO));
                } else if (line.contains("ValueSet `nanbyo-prefecture`")) {
                    artefacts.add(ours("ValueSet", "nanbyo-prefecture", null));
                }
            }
            return artefacts;
        }

        private static Artefact ours(String type, String id, String name) {
            boolean isName = name != null && name.matches("[A-Z][A-Za-z0-9]*");
            return new Artefact(type, id, isName ? name : null, NanbyoPackage.CANONICAL + "/" + type + "/" + id);
        }

        private static List<String> ids(String line) {
            List<String> ids = new ArrayList<>();
            Matcher m = ID.matcher(line);
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        }
    }
}
