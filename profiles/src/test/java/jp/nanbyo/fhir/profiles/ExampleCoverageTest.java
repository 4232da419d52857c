package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Guards that examples keep up with the profiles: a profile added without a valid example and a
 * must-fail example, or an invariant no must-fail example exercises, fails the build.
 */
class ExampleCoverageTest {

    private static final PackageContents PACKAGE = PackageContents.INSTANCE;

    @TestFactory
    Stream<DynamicTest> everyProfileHasAValidAndAMustFailExample() {
        List<StructureDefinition> profiles = PACKAGE.profiles();
        assertThat(profiles).isNotEmpty();
        List<MustFailExamples.Case> cases = MustFailExamples.cases();
        return profiles.stream().map(profile -> DynamicTest.dynamicTest(profile.getName(), () -> {
            assertThat(PACKAGE.examples())
                    .as("valid examples claiming %s", profile.getUrl())
                    .anyMatch(example -> claims(example, profile.getUrl()));
            assertThat(cases)
                    .as("must-fail examples of %s (files %s-….json in %s)", profile.getName(), profile.getName(),
                            MustFailExamples.FOLDER)
                    .anyMatch(c -> c.profileName().equals(profile.getName()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyMustFailExampleClaimsTheProfileItIsNamedAfter() {
        return MustFailExamples.cases().stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            StructureDefinition profile = PACKAGE.profiles().stream()
                    .filter(p -> p.getName().equals(c.profileName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(c.file() + " is named after no profile of the package"));
            Resource resource = (Resource) NanbyoValidator.CONTEXT.newJsonParser().parseResource(c.json());
            assertThat(resource.getMeta().getProfile()).extracting(CanonicalType::getValue)
                    .containsExactly(profile.getUrl());
        }));
    }

    @Test
    void everyInvariantOfOurProfilesIsBrokenBySomeMustFailExample() {
        Set<String> keys = PACKAGE.profiles().stream()
                .flatMap(sd -> sd.getDifferential().getElement().stream())
                .flatMap(element -> element.getConstraint().stream())
                .map(ElementDefinition.ElementDefinitionConstraintComponent::getKey)
                .filter(key -> key.startsWith("nanbyo-"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> exercised = MustFailExamples.cases().stream()
                .filter(MustFailExamples.Case::isInvariant)
                .map(MustFailExamples.Case::rule)
                .collect(Collectors.toSet());
        assertThat(keys).isNotEmpty();
        assertThat(exercised).as("invariant keys named in %s", MustFailExamples.TABLE).containsAll(keys);
        assertThat(keys).as("invariants defined by our profiles").containsAll(exercised);
    }

    @Test
    void theTableListsExactlyTheFilesOfTheMustFailFolder() throws IOException, URISyntaxException {
        URL folder = getClass().getClassLoader().getResource(MustFailExamples.FOLDER);
        assertThat(folder).isNotNull();
        Set<String> files;
        try (Stream<Path> list = Files.list(Path.of(folder.toURI()))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = MustFailExamples.cases().stream().map(MustFailExamples.Case::file)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).hasSameSizeAs(MustFailExamples.cases());
        assertThat(files).isEqualTo(listed);
    }

    private static boolean claims(Resource example, String profileUrl) {
        return example.getMeta().getProfile().stream().anyMatch(p -> profileUrl.equals(p.getValue()));
    }
}
