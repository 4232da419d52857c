package jp.nanbyo.fhir.server.demo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;

/**
 * The demo's services (demo/gunma-services.csv: illustrative, not what these hospitals really offer), as one
 * transaction of conditional creates on the service's identifier: a restart adds nothing. Hospitals, sites and
 * areas are referred to by identifier (conditional references), so the designation import must have run first.
 */
final class DemoServices {

    static final String FILE = "demo/gunma-services.csv";
    private static final String SERVICE_TYPE = NanbyoCanonical.url("CodeSystem", "nanbyo-service-type");
    private static final String DISEASE_FIELD = NanbyoCanonical.url("CodeSystem", "nanbyo-disease-field");
    private static final String SHITEI_NANBYO = NanbyoCanonical.url("CodeSystem", "nanbyo-shitei-nanbyo");
    private static final String AREA = NanbyoCanonical.url("CodeSystem", "nanbyo-secondary-medical-area");
    private static final String ILLUSTRATIVE = "デモ用の例示データ（実際の提供状況ではありません）。Illustrative demo data, not what this hospital actually offers.";

    private DemoServices() {
    }

    static Bundle transaction(String csv) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<String> lines = csv.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), cells[i].strip());
            }
            HealthcareService service = service(row);
            String identifier = NanbyoIdentifierSystems.HEALTHCARE_SERVICE + "|" + service.getIdentifierFirstRep().getValue();
            bundle.addEntry().setResource(service).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("HealthcareService").setIfNoneExist("identifier=" + identifier);
        }
        return bundle;
    }

    private static HealthcareService service(Map<String, String> row) {
        String code = row.get("medical_institution_code");
        String type = row.get("service_type");
        String field = row.get("field");
        HealthcareService service = new HealthcareService();
        service.getMeta().addProfile(NanbyoPackage.PROFILE_HEALTHCARE_SERVICE);
        service.addIdentifier().setSystem(NanbyoIdentifierSystems.HEALTHCARE_SERVICE)
                .setValue(code + ":" + type + (field.isEmpty() ? "" : ":" + field));
        service.setActive(true).setName(row.get("name")).setComment(ILLUSTRATIVE);
        service.setProvidedBy(new Reference("Organization?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|" + code)
                .setDisplay(row.get("hospital_name")));
        service.addLocation(new Reference("Location?identifier=" + JpCoreSystems.MEDICAL_INSTITUTION_CODE + "|" + code));
        service.addType(new CodeableConcept(new Coding().setSystem(SERVICE_TYPE).setCode(type)));
        if (!field.isEmpty()) {
            service.addSpecialty(new CodeableConcept(new Coding().setSystem(DISEASE_FIELD).setCode(field)));
        }
        String coverage = row.get("coverage");
        service.addCoverageArea(new Reference("Location?identifier="
                + (coverage.length() == 2 ? JpCoreSystems.PREFECTURE_NO : AREA) + "|" + coverage));
        if (!row.get("accepting_referrals").isEmpty()) {
            service.addExtension(NanbyoPackage.EXTENSION_ACCEPTING_REFERRALS, new BooleanType(row.get("accepting_referrals")));
        }
        for (String delivery : row.get("delivery").split(";")) {
            service.addExtension(NanbyoPackage.EXTENSION_DELIVERY_METHOD, new CodeType(delivery));
        }
        for (String disease : row.get("eligible_diseases").split(";")) {
            if (!disease.isEmpty()) {
                service.addExtension(NanbyoPackage.EXTENSION_ELIGIBLE_DISEASE,
                        new CodeableConcept(new Coding().setSystem(SHITEI_NANBYO).setCode(disease)));
            }
        }
        return service;
    }
}
