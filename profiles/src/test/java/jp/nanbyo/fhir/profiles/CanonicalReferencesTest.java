package jp.nanbyo.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every canonical URL under our base that our artefacts mention (bindings, target profiles, fixed systems,
 * FHIRPath of invariants and search parameters, examples' codings, topics' own URLs) is defined in the package: a typo in
 * an alias or an expression fails here instead of silently never matching.
 */
class CanonicalReferencesTest {

    private static final Pattern OUR_URL = Pattern.compile(
            Pattern.quote(NanbyoPackage.CANONICAL) + "/(StructureDefinition|ValueSet|CodeSystem|SearchParameter|ConceptMap|SubscriptionTopic)/[A-Za-z0-9.\\-]+");

    @Test
    void everyUrlUnderOurBaseThatTheSushiOutputMentionsResolvesInThePackage() {
        Set<String> mentioned = new TreeSet<>();
        for (Map.Entry<String, byte[]> entry : PackageContents.INSTANCE.entries().entrySet()) {
            boolean fromSushi = entry.getKey().contains("StructureDefinition-") || entry.getKey().contains("SearchParameter-")
                    || entry.getKey().contains("Basic-") || entry.getKey().startsWith("package/example/");
            if (fromSushi && entry.getKey().endsWith(".json")) {
                Matcher m = OUR_URL.matcher(new String(entry.getValue(), StandardCharsets.UTF_8));
                while (m.find()) {
                    mentioned.add(m.group());
                }
            }
        }
        assertThat(mentioned).hasSizeGreaterThan(30);
        assertThat(mentioned).allSatisfy(url -> assertThat(PackageContents.INSTANCE.byUrl(url))
                .as("a resource of the package with url %s", url).isPresent());
    }
}
