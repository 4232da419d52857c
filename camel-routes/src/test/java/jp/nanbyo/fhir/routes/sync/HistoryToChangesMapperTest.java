package jp.nanbyo.fhir.routes.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class HistoryToChangesMapperTest {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void keepsTheNewestVersionOfEachResourceWhateverThePageItCameOn() {
        // As a history answers: newest first, here split over pages of two.
        List<Bundle.BundleEntryComponent> entries = List.of(
                update("Organization", "1", "3", T0.plusSeconds(30), "三"),
                update("Organization", "2", "1", T0.plusSeconds(20), "二"),
                update("Organization", "1", "2", T0.plusSeconds(10), "二版"),
                update("Organization", "1", "1", T0, "初版"));

        HistoryToChangesMapper.Result result = HistoryToChangesMapper.newestPerResource(entries);

        assertThat(result.changes()).extracting(SourceVersion::key, SourceVersion::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Organization/1", "3"),
                        org.assertj.core.groups.Tuple.tuple("Organization/2", "1"));
        assertThat(((Organization) result.changes().get(0).resource()).getName()).isEqualTo("三");
        assertThat(result.changes().get(0).lastUpdated()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void theNewestVersionWinsByNumberEvenWhenAPageListsItLater() {
        List<Bundle.BundleEntryComponent> entries = List.of(
                update("Organization", "1", "2", T0.plusSeconds(10), "二版"),
                update("Organization", "1", "10", T0.plusSeconds(90), "十版"));

        assertThat(HistoryToChangesMapper.newestPerResource(entries).changes()).singleElement()
                .satisfies(change -> assertThat(change.version()).isEqualTo("10"));
    }

    @Test
    void aDeletionNewerThanTheLastUpdateIsADeletion() {
        List<Bundle.BundleEntryComponent> entries = List.of(
                deletion("Organization/1/_history/3", "http://source/fhir/Organization/1"),
                update("Organization", "1", "2", T0.plusSeconds(10), "二版"));

        SourceVersion change = HistoryToChangesMapper.newestPerResource(entries).changes().get(0);

        assertThat(change.deleted()).isTrue();
        assertThat(change.key()).isEqualTo("Organization/1");
        assertThat(change.version()).isEqualTo("3");
        assertThat(change.lastUpdated()).as("a history entry of a deletion carries no time").isNull();
    }

    @Test
    void aResourceDeletedThenCreatedAgainIsAnUpdate() {
        List<Bundle.BundleEntryComponent> entries = List.of(
                update("Location", "7", "3", T0.plusSeconds(20), "再作成"),
                deletion("Location/7/_history/2", null),
                update("Location", "7", "1", T0, "初版"));

        SourceVersion change = HistoryToChangesMapper.newestPerResource(entries).changes().get(0);

        assertThat(change.deleted()).isFalse();
        assertThat(change.version()).isEqualTo("3");
    }

    @Test
    void aDeletionIsReadFromTheFullUrlWhenItsRequestNamesNoVersion() {
        Bundle.BundleEntryComponent entry = deletion(null, "https://pref.example.jp/fhir/HealthcareService/svc.1");

        assertThat(HistoryToChangesMapper.read(entry)).hasValueSatisfying(change -> {
            assertThat(change.key()).isEqualTo("HealthcareService/svc.1");
            assertThat(change.version()).isNull();
            assertThat(change.deleted()).isTrue();
        });
    }

    @Test
    void entriesThatNameNoResourceAreCountedAndLeftOut() {
        Bundle.BundleEntryComponent noId = new Bundle.BundleEntryComponent().setResource(new Organization().setName("id なし"));
        Bundle.BundleEntryComponent noUrl = deletion(null, null);

        HistoryToChangesMapper.Result result = HistoryToChangesMapper.newestPerResource(List.of(noId, noUrl,
                update("Organization", "1", "1", T0, "一")));

        assertThat(result.changes()).hasSize(1);
        assertThat(result.unreadable()).isEqualTo(2);
    }

    static Bundle.BundleEntryComponent update(String type, String id, String version, Instant lastUpdated, String name) {
        Resource resource = type.equals("Location") ? new Location().setName(name) : new Organization().setName(name);
        resource.setId(type + "/" + id + "/_history/" + version);
        resource.getMeta().setVersionId(version).setLastUpdated(Date.from(lastUpdated));
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(resource);
        entry.getRequest().setMethod(version.equals("1") ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
                .setUrl(type + "/" + id + "/_history/" + version);
        return entry;
    }

    static Bundle.BundleEntryComponent deletion(String requestUrl, String fullUrl) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setFullUrl(fullUrl);
        entry.getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(requestUrl);
        return entry;
    }
}
