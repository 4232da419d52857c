package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalIdsTest {

    @Test
    void aLocalIdIsTheSourceIdADotAndTheRemoteId() {
        assertThat(LocalIds.localId("gunma", "1306")).isEqualTo("gunma.1306");
        assertThat(LocalIds.localId("gunma", "tokyo.1306")).as("a resource the source itself synced").isEqualTo("gunma.tokyo.1306");
    }

    @Test
    void anIdTooLongForFhirIsHashedToSixtyFourCharactersTheSameWayEveryTime() {
        String remote = "a".repeat(64);
        String local = LocalIds.localId("gunma-prefecture", remote);

        assertThat(local).hasSize(64).startsWith("gunma-prefecture.").matches("[A-Za-z0-9\\-.]{1,64}");
        assertThat(LocalIds.localId("gunma-prefecture", remote)).isEqualTo(local);
        assertThat(LocalIds.localId("gunma-prefecture", "b".repeat(64))).isNotEqualTo(local);
    }

    @Test
    void theDotTellsSourcesApartEvenWhenOneIdStartsWithAnother() {
        assertThat(LocalIds.isFromSource("gunma", "gunma.1306")).isTrue();
        assertThat(LocalIds.isFromSource("gunma", "gunma-east.1306")).isFalse();
        assertThat(LocalIds.isFromSource("gunma", "1306")).isFalse();
    }
}
