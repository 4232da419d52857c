package jp.nanbyo.fhir.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElementCounterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static long countWhole(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ElementCounter().count(bytes, 0, bytes.length);
    }

    /** Feeds the body in pieces of the given size, as a network read would hand it over. */
    private static long countInPieces(String body, int piece) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ElementCounter counter = new ElementCounter();
        long count = 0;
        for (int offset = 0; offset < bytes.length; offset += piece) {
            count = counter.count(bytes, offset, Math.min(piece, bytes.length - offset));
        }
        return count;
    }

    private static Organization organization(int aliases) {
        Organization organization = new Organization();
        organization.setActive(true).setName("前橋赤十字病院");
        organization.addIdentifier().setSystem("urn:example").setValue("1015000002");
        for (int i = 0; i < aliases; i++) {
            organization.addAlias("別名 {\"<" + i);
        }
        return organization;
    }

    @Test
    void countsJsonObjectsAndValuesButNotArraysOrNames() {
        // the resource object, resourceType, active, the identifier object, its system and value, name: 7
        assertThat(countWhole(FHIR.newJsonParser().encodeResourceToString(organization(0)))).isEqualTo(7);
        assertThat(countWhole("{\"a\":[1,2.5,true,null,\"x\",{},[]]}")).isEqualTo(7);
    }

    @Test
    void eachRepeatOfAnElementCountsAndBracesInsideStringsDoNot() {
        String json = FHIR.newJsonParser().encodeResourceToString(organization(1000));
        String xml = FHIR.newXmlParser().encodeResourceToString(organization(1000));

        assertThat(countWhole(json)).isEqualTo(7 + 1000);
        // XML: the tags Organization, identifier, system, value, active, name and the aliases (an escaped "<" in a value
        // is not a tag)
        assertThat(countWhole(xml)).isEqualTo(6 + 1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 8192})
    void aBodyCountsTheSameWhateverPiecesItArrivesIn(int piece) {
        String json = "\uFEFF  " + FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(organization(50));
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + FHIR.newXmlParser().encodeResourceToString(organization(50));

        assertThat(countInPieces(json, piece)).isEqualTo(countWhole(json)).isEqualTo(57);
        // the XML declaration counts as a tag: bodies are refused far above any such difference
        assertThat(countInPieces(xml, piece)).isEqualTo(countWhole(xml)).isEqualTo(6 + 50 + 1);
    }

    @Test
    void whatIsNeitherJsonNorXmlOrIsBrokenJsonIsNotCounted() {
        assertThat(countWhole("name=%E7%BE%A4&name=x&name=y")).isZero();
        assertThat(countWhole("   ")).isZero();
        // counted up to where it breaks, then left to HAPI's parser, which says what is wrong
        ElementCounter broken = new ElementCounter();
        byte[] start = "{\"a\":1,\"b\":2,".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "}}}{\"c\":3,\"d\":4}".getBytes(StandardCharsets.UTF_8);
        assertThat(broken.count(start, 0, start.length)).isEqualTo(3);
        assertThat(broken.count(garbage, 0, garbage.length)).isEqualTo(3);
        assertThat(broken.count(start, 0, start.length)).isEqualTo(3);
    }

    @Test
    void aFlatArrayOfMillionsOfValuesIsCountedInFull() {
        StringBuilder body = new StringBuilder("{\"resourceType\":\"Organization\",\"alias\":[");
        for (int i = 0; i < 2_000_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"a\"");
        }
        body.append("]}");

        assertThat(countInPieces(body.toString(), 8192)).isEqualTo(2 + 2_000_000);
    }
}
