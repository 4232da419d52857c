package jp.nanbyo.fhir.routes.sync;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import jp.nanbyo.fhir.routes.sync.DirectorySyncProperties.Source;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * The records a sync leaves in the directory, written in the same transaction as the changes they
 * describe: the sync's Device (the software agent of one source, {@code Device/nanbyo-directory-sync-<id>})
 * and a Provenance per transaction. The Provenance of a run's last transaction also carries the
 * watermark ({@code occurredPeriod.end}): the source's time up to which its changes are now applied.
 */
final class SyncProvenance {

    static final String DEVICE_ID_PREFIX = "nanbyo-directory-sync-";

    private SyncProvenance() {
    }

    static String deviceReference(String sourceId) {
        return "Device/" + DEVICE_ID_PREFIX + sourceId;
    }

    /** The sync of one source as a software agent; written (unchanged, so without a new version) in every transaction. */
    static Device device(Source source) {
        Device device = new Device();
        device.setId(deviceReference(source.id()));
        device.addIdentifier(sourceIdentifier(source));
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        device.addDeviceName()
                .setName("ディレクトリ同期 " + source.id() + " (Nanbyo directory sync)")
                .setType(Device.DeviceNameType.USERFRIENDLYNAME);
        device.setType(new CodeableConcept().setText("mCSD 更新クライアント (mCSD Update Client, ITI-91)"));
        device.addNote().setText("同期元 (source): " + source.base());
        return device;
    }

    private static Identifier sourceIdentifier(Source source) {
        return new Identifier().setSystem(NanbyoIdentifierSystems.DIRECTORY_SYNC_SOURCE).setValue(source.id());
    }

    /**
     * @param targets local references of the resources the transaction writes; when none (only
     *     deletions, or only the watermark), the sync's Device
     * @param deleted local references of the resources the transaction deletes (named in
     *     {@code entity}, role removal: a deleted resource cannot be a target)
     * @param completion the run's watermark, on the run's last transaction only; else null
     */
    static Provenance provenance(Source source, List<String> targets, List<String> deleted, Completion completion) {
        Provenance provenance = new Provenance();
        if (targets.isEmpty()) {
            provenance.addTarget(new Reference(deviceReference(source.id())));
        } else {
            targets.forEach(target -> provenance.addTarget(new Reference(target)));
        }
        provenance.setRecordedElement(InstantType.now());
        if (completion != null) {
            Period covered = new Period().setEndElement(milliseconds(completion.watermark()));
            if (completion.previous() != null) {
                covered.setStartElement(milliseconds(completion.previous()));
            }
            provenance.setOccurred(covered);
        }
        provenance.setActivity(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "UPDATE", "revise"))
                .setText("ディレクトリ同期 (directory sync, mCSD ITI-91)"));
        provenance.addAgent()
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                        "assembler", "Assembler")))
                .setWho(new Reference(deviceReference(source.id())).setDisplay("ディレクトリ同期 " + source.id()));
        provenance.addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference().setIdentifier(sourceIdentifier(source)).setDisplay(source.base()));
        deleted.forEach(reference -> provenance.addEntity()
                .setRole(Provenance.ProvenanceEntityRole.REMOVAL)
                .setWhat(new Reference().setDisplay(reference)));
        String summary = "ディレクトリ同期 " + source.id() + " (" + source.base() + "): 書込 " + targets.size() + "、削除 "
                + deleted.size() + (completion == null ? "" : "、同期済み " + completion.watermark() + " まで")
                + " (directory sync: written " + targets.size() + ", deleted " + deleted.size()
                + (completion == null ? ", part of a run" : ", source changes applied up to " + completion.watermark()) + ")";
        provenance.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escapeXml(summary) + "</div>");
        return provenance;
    }

    /**
     * A run's watermark, recorded with its last transaction.
     *
     * @param previous the watermark the run started from (null for a first or full run)
     * @param watermark the source's time up to which its changes are now applied
     */
    record Completion(Instant previous, Instant watermark) {
    }

    /** A dateTime to the millisecond (a Date alone gives seconds: the watermark would fall back up to 999 ms). */
    private static DateTimeType milliseconds(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
