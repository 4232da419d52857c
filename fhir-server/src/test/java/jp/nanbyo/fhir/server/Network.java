package jp.nanbyo.fhir.server;

import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Resources of the rare-disease network that conform to our profiles, for the tests to write. */
public final class Network {

    public static final String ORGANIZATION_TYPE = NanbyoCanonical.url("CodeSystem", "nanbyo-organization-type");
    public static final String DESIGNATION_ROLE = NanbyoCanonical.url("CodeSystem", "nanbyo-designation-role");
    public static final String SHITEI_NANBYO = NanbyoCanonical.url("CodeSystem", "nanbyo-shitei-nanbyo");
    public static final String GUNMA = "10";

    private Network() {
    }

    public static Organization hospital(String medicalInstitutionCode, String name, String kana) {
        Organization hospital = organization(NanbyoPackage.PROFILE_HOSPITAL, "hospital", name);
        hospital.addAlias(kana);
        hospital.addIdentifier().setSystem(JpCoreSystems.MEDICAL_INSTITUTION_CODE).setValue(medicalInstitutionCode);
        return hospital;
    }

    public static Organization prefectureGovernment(String prefectureCode, String name) {
        Organization government = organization(NanbyoPackage.PROFILE_PREFECTURE_GOVERNMENT, "prefecture-government", name);
        government.addExtension(NanbyoPackage.EXTENSION_PREFECTURE, prefecture(prefectureCode));
        return government;
    }

    public static Organization prefectureNetwork(String prefectureCode, String name, Reference government) {
        Organization network = organization(NanbyoPackage.PROFILE_PREFECTURE_NETWORK, "prefecture-network", name);
        network.addExtension(NanbyoPackage.EXTENSION_PREFECTURE, prefecture(prefectureCode));
        network.setPartOf(government);
        return network;
    }

    public static Location facility(String name, Reference organization) {
        Location facility = new Location();
        facility.getMeta().addProfile(NanbyoPackage.PROFILE_FACILITY_LOCATION);
        facility.setStatus(Location.LocationStatus.ACTIVE);
        facility.setMode(Location.LocationMode.INSTANCE);
        facility.setName(name);
        facility.setAddress(new Address().setText("群馬県前橋市昭和町3-39-15").setState("群馬県").setCity("前橋市")
                .setPostalCode("371-8511").setCountry("JP"));
        facility.setManagingOrganization(organization);
        return facility;
    }

    public static OrganizationAffiliation designation(Reference network, Reference hospital, String role, String start, String end) {
        OrganizationAffiliation designation = new OrganizationAffiliation();
        designation.getMeta().addProfile(NanbyoPackage.PROFILE_DESIGNATION);
        designation.setActive(true);
        designation.setOrganization(network);
        designation.setParticipatingOrganization(hospital);
        designation.addCode(new CodeableConcept(new Coding(DESIGNATION_ROLE, role, null)));
        Period period = new Period().setStartElement(new DateTimeType(start));
        if (end != null) {
            period.setEndElement(new DateTimeType(end));
        }
        designation.setPeriod(period);
        return designation;
    }

    private static Organization organization(String profile, String type, String name) {
        Organization organization = new Organization();
        organization.getMeta().getProfile().add(new CanonicalType(profile));
        organization.setActive(true);
        organization.addType(new CodeableConcept(new Coding(ORGANIZATION_TYPE, type, null)));
        organization.setName(name);
        return organization;
    }

    private static Coding prefecture(String code) {
        return new Coding(JpCoreSystems.PREFECTURE_NO, code, null);
    }
}
