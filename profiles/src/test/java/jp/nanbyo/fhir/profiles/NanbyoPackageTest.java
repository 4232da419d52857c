package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class NanbyoPackageTest {

    private static final PackageContents PACKAGE = PackageContents.INSTANCE;

    @Test
    void profileUrlsLiveUnderTheTerminologyCanonicalBase() {
        assertThat(NanbyoPackage.profileUrl("nanbyo-organization"))
                .isEqualTo(NanbyoCanonical.BASE + "/StructureDefinition/nanbyo-organization");
        assertThat(NanbyoPackage.searchParameterUrl("nanbyo-location-prefecture"))
                .isEqualTo(NanbyoCanonical.BASE + "/SearchParameter/nanbyo-location-prefecture");
        assertThat(NanbyoPackage.subscriptionTopicUrl("nanbyo-designation-changed"))
                .isEqualTo(NanbyoCanonical.BASE + "/SubscriptionTopic/nanbyo-designation-changed");
        assertThat(NanbyoPackage.CANONICAL).isEqualTo(NanbyoCanonical.BASE);
    }

    /** One test per canonical-URL constant: the server and the routes rely on each resolving. */
    @TestFactory
    Stream<DynamicTest> everyCanonicalUrlConstantResolvesInThePackage() throws IllegalAccessException {
        List<Field> constants = canonicalUrlConstants();
        assertThat(constants).isNotEmpty();
        return constants.stream().map(field -> DynamicTest.dynamicTest(field.getName(), () -> {
            String url = (String) field.get(null);
            PackageContents.Definition definition = PACKAGE.byUrl(url)
                    .orElseThrow(() -> new AssertionError(field.getName() + " = " + url + " is not in the package"));
            assertThat(definition.status()).isEqualTo("active");
        }));
    }

    @Test
    void everyProfileExtensionAndSearchParameterOfThePackageHasAConstant() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>();
        for (Field field : canonicalUrlConstants()) {
            String url = (String) field.get(null);
            // Topics need no constant (adding one is a package change only); those that have one are checked above.
            if (!url.startsWith(NanbyoPackage.CANONICAL + "/SubscriptionTopic/")) {
                constants.add(url);
            }
        }
        Set<String> defined = PACKAGE.conformanceResources().stream()
                .filter(r -> r instanceof StructureDefinition || r instanceof SearchParameter)
                .map(r -> ((MetadataResource) r).getUrl())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(constants).isEqualTo(defined);
    }

    @Test
    void hapiReadsThePackageFromTheClasspathAsTheServerWill() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(NanbyoPackage.CLASSPATH_RESOURCE)) {
            assertThat(in).as(NanbyoPackage.CLASSPATH_RESOURCE).isNotNull();
            NpmPackage npm = NpmPackage.fromPackage(in);
            assertThat(npm.name()).isEqualTo(NanbyoPackage.PACKAGE_ID);
            assertThat(npm.version()).isEqualTo(NanbyoPackage.PACKAGE_VERSION);
            assertThat(npm.canonical()).isEqualTo(NanbyoPackage.CANONICAL);
            assertThat(npm.fhirVersion()).isEqualTo(NanbyoPackage.FHIR_VERSION);
            assertThat(npm.dependencies()).containsExactly("hl7.fhir.r4.core#" + NanbyoPackage.FHIR_VERSION);
            long definitions = PACKAGE.conformanceResources().stream().filter(StructureDefinition.class::isInstance).count();
            assertThat(npm.listResources("StructureDefinition")).hasSize((int) definitions);
            assertThat(npm.listResources("CodeSystem", "ValueSet", "ConceptMap", "SearchParameter")).isNotEmpty();
            // Subscription topics (R4: Basic) lie in package/ too; the server's installer asks for Basic by name.
            assertThat(npm.listResources("Basic")).hasSize(PACKAGE.topics().size()).isNotEmpty();
            // Examples are shipped, but outside package/, so an installer never stores them as data.
            assertThat(npm.getFolders()).containsKey("example");
            assertThat(npm.listResources("Organization", "Location", "OrganizationAffiliation")).isEmpty();
        }
    }

    private static List<Field> canonicalUrlConstants() throws IllegalAccessException {
        List<Field> urls = new ArrayList<>();
        for (Field field : Arrays.stream(NanbyoPackage.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .toList()) {
            if (((String) field.get(null)).startsWith(NanbyoPackage.CANONICAL + "/")) {
                urls.add(field);
            }
        }
        return urls;
    }
}
