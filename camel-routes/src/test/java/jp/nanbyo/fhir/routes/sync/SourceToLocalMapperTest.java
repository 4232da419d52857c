package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Mapped;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Resolution;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Target;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class SourceToLocalMapperTest {

    static final String BASE = "https://fhir.pref.gunma.example/fhir";

    final SourceToLocalMapper mapper = new SourceToLocalMapper(FhirContext.forR4Cached(), "gunma", BASE);

    @Test
    void theLocalCopyHasTheLocalIdAndNamesTheSourceVersionItCameFrom() {
        Organization hospital = new Organization().setName("群馬大学医学部附属病院");
        hospital.setId("Organization/1306/_history/4");
        hospital.getMeta().setVersionId("4").setLastUpdated(Date.from(Instant.parse("2026-11-01T00:00:00Z"))).setSource("#abc")
                .addProfile("http://nanbyo.jp/fhir/StructureDefinition/nanbyo-hospital");

        Mapped mapped = mapper.toLocal(new SourceVersion("Organization", "1306", "4", null, hospital), this::toLocalId);

        assertThat(mapped.ok()).isTrue();
        Organization local = (Organization) mapped.resource();
        assertThat(local.getIdElement().getValue()).isEqualTo("Organization/gunma.1306");
        assertThat(local.getMeta().getVersionId()).isNull();
        assertThat(local.getMeta().getLastUpdated()).isNull();
        assertThat(local.getMeta().getSource()).isEqualTo(BASE + "/Organization/1306/_history/4");
        assertThat(local.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("http://nanbyo.jp/fhir/StructureDefinition/nanbyo-hospital");
        assertThat(hospital.getIdElement().getIdPart()).as("the source's resource is left as it was").isEqualTo("1306");
    }

    @Test
    void rewritesEveryReferenceIntoTheSourceWhateverItsForm() {
        OrganizationAffiliation designation = new OrganizationAffiliation();
        designation.setId("OrganizationAffiliation/9");
        designation.setOrganization(new Reference("Organization/10").setDisplay("群馬県難病医療提供体制"));
        designation.setParticipatingOrganization(new Reference("Organization/1306/_history/2"));
        designation.addLocation(new Reference(BASE + "/Location/20"));
        designation.addEndpoint(new Reference("https://other.example/fhir/Endpoint/5"));
        designation.addHealthcareService(new Reference("#service"));
        designation.addNetwork(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setValue("logical")));
        designation.addExtension("http://example.org/ext", new Reference("Organization/77"));
        Location contained = new Location();
        contained.setId("site");
        contained.setManagingOrganization(new Reference("Organization/1306"));
        designation.addContained(contained);

        List<Target> asked = new ArrayList<>();
        Mapped mapped = mapper.toLocal(new SourceVersion("OrganizationAffiliation", "9", "1", null, designation), target -> {
            asked.add(target);
            return toLocalId(target);
        });

        OrganizationAffiliation local = (OrganizationAffiliation) mapped.resource();
        assertThat(local.getOrganization().getReference()).isEqualTo("Organization/gunma.10");
        assertThat(local.getOrganization().getDisplay()).isEqualTo("群馬県難病医療提供体制");
        assertThat(local.getParticipatingOrganization().getReference()).as("a versioned reference names the local copy")
                .isEqualTo("Organization/gunma.1306");
        assertThat(local.getLocationFirstRep().getReference()).as("absolute on the source's base").isEqualTo("Location/gunma.20");
        assertThat(local.getEndpointFirstRep().getReference()).as("another server's: kept")
                .isEqualTo("https://other.example/fhir/Endpoint/5");
        assertThat(local.getHealthcareServiceFirstRep().getReference()).as("contained: kept").isEqualTo("#service");
        assertThat(((Reference) local.getExtensionByUrl("http://example.org/ext").getValue()).getReference())
                .isEqualTo("Organization/gunma.77");
        assertThat(((Location) local.getContained().get(0)).getManagingOrganization().getReference())
                .as("inside a contained resource too").isEqualTo("Organization/gunma.1306");
        assertThat(asked).extracting(Target::key).containsExactlyInAnyOrder("Organization/10", "Organization/1306",
                "Location/20", "Organization/77", "Organization/1306");
        assertThat(mapped.localReferences()).contains("Organization/gunma.10", "Location/gunma.20");
    }

    @Test
    void aReferenceThatCannotBeResolvedMakesTheResourceUnwritable() {
        Endpoint endpoint = new Endpoint();
        endpoint.setId("Endpoint/3");
        endpoint.setManagingOrganization(new Reference("Organization/404"));

        Mapped mapped = mapper.toLocal(new SourceVersion("Endpoint", "3", "1", null, endpoint),
                target -> new Resolution.Unresolved("it refers to " + target.key() + ", which the source does not hold"));

        assertThat(mapped.ok()).isFalse();
        assertThat(mapped.unresolved()).isEqualTo("it refers to Organization/404, which the source does not hold");
    }

    @Test
    void readsTheSourceVersionBackFromMetaSourceWhateverHapiAppended() {
        assertThat(SourceToLocalMapper.sourceVersionOf(BASE + "/Organization/1306/_history/4#Ab12Cd", "Organization", "1306"))
                .hasValue("4");
        assertThat(SourceToLocalMapper.sourceVersionOf("#Ab12Cd", "Organization", "1306")).isEmpty();
        assertThat(SourceToLocalMapper.sourceVersionOf(BASE + "/Organization/99/_history/4", "Organization", "1306"))
                .as("another resource's source").isEmpty();
        assertThat(SourceToLocalMapper.sourceVersionOf(null, "Organization", "1306")).isEmpty();
    }

    private Resolution toLocalId(Target target) {
        return new Resolution.Local(target.type() + "/gunma." + target.id());
    }
}
