package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class SyncProvenanceTest {

    static final Source GUNMA = new Source("gunma", URI.create("https://fhir.pref.gunma.example/fhir"),
            DirectorySyncProperties.DIRECTORY_TYPES, Duration.ofMinutes(15), Duration.ofSeconds(30), 100, 200,
            Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(60));

    @Test
    void theWatermarkKeepsItsMillisecondsThroughJson() {
        Instant previous = Instant.parse("2026-11-22T07:31:27.803Z");
        Instant watermark = Instant.parse("2026-11-22T07:35:25.560Z");
        Provenance provenance = SyncProvenance.provenance(GUNMA, List.of("Organization/gunma.1306"), List.of(),
                new SyncProvenance.Completion(previous, watermark));

        FhirContext fhir = FhirContext.forR4Cached();
        Provenance read = fhir.newJsonParser().parseResource(Provenance.class, fhir.newJsonParser().encodeResourceToString(provenance));

        assertThat(read.getOccurredPeriod().getEnd().toInstant()).isEqualTo(watermark);
        assertThat(read.getOccurredPeriod().getStart().toInstant()).isEqualTo(previous);
    }

    @Test
    void namesTheSourceAndTheDeviceAndTargetsTheDeviceWhenNothingWasWritten() {
        Provenance provenance = SyncProvenance.provenance(GUNMA, List.of(), List.of("Location/gunma.20"), null);

        assertThat(provenance.hasOccurred()).as("only a run's last transaction carries the watermark").isFalse();
        assertThat(provenance.getTarget()).extracting(Reference::getReference).containsExactly("Device/nanbyo-directory-sync-gunma");
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).isEqualTo("Device/nanbyo-directory-sync-gunma");
        assertThat(provenance.getEntity()).extracting(Provenance.ProvenanceEntityComponent::getRole)
                .containsExactly(Provenance.ProvenanceEntityRole.SOURCE, Provenance.ProvenanceEntityRole.REMOVAL);
        assertThat(provenance.getEntity().get(0).getWhat().getIdentifier().getSystem())
                .isEqualTo(NanbyoIdentifierSystems.DIRECTORY_SYNC_SOURCE);
        assertThat(provenance.getEntity().get(0).getWhat().getDisplay()).isEqualTo("https://fhir.pref.gunma.example/fhir");
        assertThat(provenance.getEntity().get(1).getWhat().getDisplay()).isEqualTo("Location/gunma.20");
        assertThat(SyncProvenance.device(GUNMA).getIdentifierFirstRep().getValue()).isEqualTo("gunma");
    }
}
