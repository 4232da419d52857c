package jp.nanbyo.fhir.routes.designation;

import static jp.nanbyo.fhir.routes.designation.DirectorySnapshot.key;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import jp.nanbyo.fhir.routes.designation.DesignationPlan.Action;
import jp.nanbyo.fhir.routes.designation.DesignationPlan.Write;
import jp.nanbyo.fhir.terminology.JpCoreSystems;
import jp.nanbyo.fhir.terminology.NanbyoCanonical;
import jp.nanbyo.fhir.terminology.NanbyoIdentifierSystems;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Compares a prefecture's list with what the directory holds and decides the writes. The import
 * owns only what the list says (names, codes, addresses, phones, designations' role, field, period
 * and areas); anything else someone added to a resource (endpoints, aliases, services) is kept.
 *
 * <p>A designation is identified by hospital, role, field and start date: a new period is a new
 * designation, so "who was designated on date D" stays a plain search. A designation the
 * prefecture's network holds but the list no longer names is ended, never deleted.
 */
final class DesignationPlanner {

    static final String ORGANIZATION_TYPE_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-organization-type");
    static final String JURISDICTION_LEVEL_SYSTEM = NanbyoCanonical.url("CodeSystem", "nanbyo-jurisdiction-level");
    static final String LOCATION_PHYSICAL_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type";

    /** A row whose role, field and area are known to the terminology. */
    record ResolvedRow(DesignationRow row, DesignationTerminology.Role role, DesignationTerminology.Field field,
            DesignationTerminology.Area area) {

        String key(String prefecture) {
            return designationKey(prefecture, row.medicalInstitutionCode(), role.code(),
                    field == null ? "" : field.code(), row.start().toString());
        }
    }

    /** A 郡 (district) before a town or village's name in an address. */
    private static final Pattern DISTRICT = Pattern.compile("^[^\\s市区町村郡]{1,6}郡");

    private final DesignationList list;
    private final List<ResolvedRow> rows;
    private final DirectorySnapshot snapshot;
    private final DesignationTerminology terminology;
    private final DesignationTerminology.Prefecture prefecture;
    private final List<Write> writes = new ArrayList<>();
    /** The prefecture's municipality Locations, by name: a site is part of the one its address names. */
    private final Map<String, Reference> municipalities = new HashMap<>();
    /** The stored designations by key, the first of each key: looked up once per row. */
    private final Map<String, OrganizationAffiliation> storedDesignations = new HashMap<>();
    private int unchanged;

    DesignationPlanner(DesignationList list, List<ResolvedRow> rows, DirectorySnapshot snapshot, DesignationTerminology terminology) {
        this.list = list;
        this.rows = rows;
        this.snapshot = snapshot;
        this.terminology = terminology;
        this.prefecture = terminology.prefecture(list.prefectureCode());
        for (OrganizationAffiliation stored : snapshot.designations()) {
            keyOf(stored).ifPresent(key -> storedDesignations.putIfAbsent(key, stored));
        }
    }

    static String designationKey(String prefecture, String code, String role, String field, String start) {
        return String.join(":", prefecture, code, role, field, start);
    }

    DesignationPlan plan() {
        Reference government = government();
        Reference network = network(government);
        Reference prefectureArea = prefectureArea();
        Map<String, Reference> areas = areas(prefectureArea);

        Map<String, Reference> hospitals = new HashMap<>();
        for (ResolvedRow resolved : rows) {
            DesignationRow row = resolved.row();
            if (!hospitals.containsKey(row.medicalInstitutionCode())) {
                Reference hospital = hospital(row);
                hospitals.put(row.medicalInstitutionCode(), hospital);
                site(row, hospital);
            }
        }

        Set<String> listed = new HashSet<>();
        for (ResolvedRow resolved : rows) {
            listed.add(resolved.key(prefecture.code()));
            Reference served = resolved.area() == null ? prefectureArea : areas.get(resolved.area().code());
            designation(resolved, network, hospitals.get(resolved.row().medicalInstitutionCode()), served);
        }
        endDesignationsNoLongerListed(listed);
        return new DesignationPlan(List.copyOf(writes), unchanged);
    }

    // ---- the prefecture's frame: created when missing, never changed by an import

    private Reference government() {
        String identifier = key(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE, prefecture.localGovernmentCode());
        Optional<Organization> existing = snapshot.government(prefecture);
        if (existing.isPresent()) {
            return referenceTo(existing.get(), prefecture.name());
        }
        Organization government = new Organization();
        government.getMeta().addProfile(NanbyoPackage.PROFILE_PREFECTURE_GOVERNMENT);
        government.addIdentifier(identifier(NanbyoIdentifierSystems.LOCAL_GOVERNMENT_CODE, prefecture.localGovernmentCode()));
        government.setActive(true).setName(prefecture.name());
        government.addType(organizationType("prefecture-government", "都道府県"));
        setPrefecture(government);
        return create(government, identifier, "都道府県 " + prefecture.name());
    }

    private Reference network(Reference government) {
        String identifier = key(NanbyoIdentifierSystems.PREFECTURE_NETWORK, prefecture.code());
        String name = prefecture.name() + "難病医療提供体制";
        Optional<Organization> existing = snapshot.network(prefecture.code());
        if (existing.isPresent()) {
            return referenceTo(existing.get(), name);
        }
        Organization network = new Organization();
        network.getMeta().addProfile(NanbyoPackage.PROFILE_PREFECTURE_NETWORK);
        network.addIdentifier(identifier(NanbyoIdentifierSystems.PREFECTURE_NETWORK, prefecture.code()));
        network.setActive(true).setName(name);
        network.addType(organizationType("prefecture-network", "都道府県難病医療提供体制"));
        setPrefecture(network);
        network.setPartOf(government);
        return create(network, identifier, "難病医療提供体制 " + name);
    }

    private Reference prefectureArea() {
        return area(DesignationTerminology.PREFECTURE_SYSTEM, prefecture.code(), prefecture.name(), "prefecture", "都道府県", null);
    }

    /** The prefecture's 二次医療圏 and their municipalities, from the terminology; by area code. */
    private Map<String, Reference> areas(Reference prefectureArea) {
        Map<String, Reference> areas = new HashMap<>();
        for (DesignationTerminology.Area area : terminology.areas(prefecture.code())) {
            Reference reference = area(DesignationTerminology.AREA_SYSTEM, area.code(), area.name(),
                    "secondary-area", "二次医療圏", prefectureArea);
            areas.put(area.code(), reference);
            for (String municipality : area.municipalities()) {
                municipalities.put(municipality, area(NanbyoIdentifierSystems.MUNICIPALITY,
                        prefecture.code() + ":" + municipality, municipality, "municipality", "市区町村", reference));
            }
        }
        return areas;
    }

    private Reference area(String system, String value, String name, String level, String levelDisplay, Reference partOf) {
        Optional<Location> existing = snapshot.area(system, value);
        if (existing.isPresent()) {
            return referenceTo(existing.get(), name);
        }
        Location area = new Location();
        area.getMeta().addProfile(NanbyoPackage.PROFILE_JURISDICTION_LOCATION);
        area.addIdentifier(identifier(system, value));
        area.setStatus(Location.LocationStatus.ACTIVE).setName(name).setMode(Location.LocationMode.KIND);
        area.setPhysicalType(new CodeableConcept(new Coding(LOCATION_PHYSICAL_TYPE_SYSTEM, "jdn", "Jurisdiction")));
        area.addType(new CodeableConcept(new Coding(JURISDICTION_LEVEL_SYSTEM, level, levelDisplay)));
        setPrefecture(area);
        if (partOf != null) {
            area.setPartOf(partOf);
        }
        return create(area, key(system, value), levelDisplay + " " + name);
    }

    // ---- hospitals and their sites: created, or updated where the list says something new

    private Reference hospital(DesignationRow row) {
        String code = row.medicalInstitutionCode();
        Optional<Organization> existing = snapshot.hospital(code);
        Organization hospital = existing.map(Organization::copy).orElseGet(Organization::new);
        if (!hospital.getMeta().hasProfile(NanbyoPackage.PROFILE_HOSPITAL)) {
            hospital.getMeta().addProfile(NanbyoPackage.PROFILE_HOSPITAL);
        }
        ensureIdentifier(hospital.getIdentifier(), JpCoreSystems.MEDICAL_INSTITUTION_CODE, code);
        if (!hospital.hasActive()) {
            hospital.setActive(true);
        }
        hospital.setName(row.hospitalName());
        boolean typed = hospital.getType().stream().flatMap(type -> type.getCoding().stream())
                .anyMatch(c -> ORGANIZATION_TYPE_SYSTEM.equals(c.getSystem())
                        && ("hospital".equals(c.getCode()) || "clinic".equals(c.getCode())));
        if (!typed) {
            hospital.addType(organizationType("hospital", "病院"));
        }
        setPrefecture(hospital);
        if (!row.address().isEmpty() || !row.postalCode().isEmpty()) {
            setAddress(hospital.getAddress(), row);
        }
        if (!row.phone().isEmpty()) {
            setPhone(hospital.getTelecom(), row.phone());
        }
        String description = "医療機関 " + row.hospitalName() + " (" + code + ")";
        return existing.isPresent()
                ? update(existing.get(), hospital, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, code), description)
                : create(hospital, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, code), description);
    }

    /** The hospital's site (IHE mCSD's facility Location), when the list gives its address. */
    private void site(DesignationRow row, Reference hospital) {
        if (row.address().isEmpty()) {
            return;
        }
        String code = row.medicalInstitutionCode();
        Optional<Location> existing = snapshot.site(code);
        Location site = existing.map(Location::copy).orElseGet(Location::new);
        if (!site.getMeta().hasProfile(NanbyoPackage.PROFILE_FACILITY_LOCATION)) {
            site.getMeta().addProfile(NanbyoPackage.PROFILE_FACILITY_LOCATION);
        }
        ensureIdentifier(site.getIdentifier(), JpCoreSystems.MEDICAL_INSTITUTION_CODE, code);
        site.setStatus(Location.LocationStatus.ACTIVE).setName(row.hospitalName()).setMode(Location.LocationMode.INSTANCE);
        site.setManagingOrganization(hospital);
        setPrefecture(site);
        List<Address> addresses = new ArrayList<>();
        if (site.hasAddress()) {
            addresses.add(site.getAddress());
        }
        setAddress(addresses, row);
        site.setAddress(addresses.get(0));
        // mCSD: a facility is part of its jurisdiction, so "every site within area A" is a partof chain.
        Reference municipality = municipalities.get(site.getAddress().getCity());
        if (municipality != null) {
            site.setPartOf(municipality);
        }
        if (!row.phone().isEmpty()) {
            setPhone(site.getTelecom(), row.phone());
        }
        String description = "所在地 " + row.hospitalName() + " (" + row.address() + ")";
        if (existing.isPresent()) {
            update(existing.get(), site, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, code), description);
        } else {
            create(site, key(JpCoreSystems.MEDICAL_INSTITUTION_CODE, code), description);
        }
    }

    // ---- designations

    private void designation(ResolvedRow resolved, Reference network, Reference hospital, Reference served) {
        DesignationRow row = resolved.row();
        String key = resolved.key(prefecture.code());
        Optional<OrganizationAffiliation> existing = existingDesignation(key);
        OrganizationAffiliation designation = existing.map(OrganizationAffiliation::copy).orElseGet(OrganizationAffiliation::new);
        if (!designation.getMeta().hasProfile(NanbyoPackage.PROFILE_DESIGNATION)) {
            designation.getMeta().addProfile(NanbyoPackage.PROFILE_DESIGNATION);
        }
        ensureIdentifier(designation.getIdentifier(), NanbyoIdentifierSystems.DESIGNATION, key);
        // A list may still name a designation whose period ended before its reference date.
        designation.setActive(row.end() == null || !row.end().isBefore(list.referenceDate()));
        designation.setOrganization(network);
        designation.setParticipatingOrganization(hospital);
        designation.setCode(List.of(new CodeableConcept(
                new Coding(DesignationTerminology.ROLE_SYSTEM, resolved.role().code(), resolved.role().display()))));
        designation.setSpecialty(resolved.field() == null ? new ArrayList<>() : List.of(new CodeableConcept(
                new Coding(DesignationTerminology.FIELD_SYSTEM, resolved.field().code(), resolved.field().display()))));
        Period period = new Period().setStartElement(new DateTimeType(row.start().toString()));
        if (row.end() != null) {
            period.setEndElement(new DateTimeType(row.end().toString()));
        }
        designation.setPeriod(period);
        designation.setLocation(List.of(served));

        String description = describe(row.hospitalName(), resolved.role().display(), resolved.field(), row.start(), row.end());
        String identifier = key(NanbyoIdentifierSystems.DESIGNATION, key);
        if (existing.isPresent()) {
            update(existing.get(), designation, identifier, description);
        } else {
            create(designation, identifier, description);
        }
    }

    /**
     * Ends every active designation of the network that the list no longer names: inactive, its
     * period ending the day before the list's reference date (or earlier, if it already did).
     * Designations of organizations without a 医療機関コード (support centers) are not the list's.
     */
    private void endDesignationsNoLongerListed(Set<String> listed) {
        LocalDate lastDay = list.referenceDate().minusDays(1);
        for (OrganizationAffiliation existing : snapshot.designations()) {
            Optional<String> key = keyOf(existing);
            boolean alreadyEnded = existing.hasActive() && !existing.getActive();
            if (key.isEmpty() || listed.contains(key.get()) || alreadyEnded) {
                continue;
            }
            OrganizationAffiliation ended = existing.copy();
            LocalDate start = toLocalDate(existing.getPeriod().getStartElement());
            LocalDate end = existing.getPeriod().hasEnd() ? toLocalDate(existing.getPeriod().getEndElement()) : null;
            LocalDate newEnd = end != null && end.isBefore(lastDay) ? end : lastDay;
            if (start != null && newEnd.isBefore(start)) {
                newEnd = start; // named in a list, then dropped before it began
            }
            ended.setActive(false);
            ended.getPeriod().setEndElement(new DateTimeType(newEnd.toString()));
            String hospitalName = existing.getParticipatingOrganization().getDisplay();
            String role = existing.getCode().stream().flatMap(c -> c.getCoding().stream()).map(Coding::getDisplay)
                    .findFirst().orElse("");
            String description = describe(hospitalName, role, null, start, newEnd) + " (一覧にないため終了; no longer listed)";
            writes.add(new Write(Action.END, ended, fullUrlOf(existing), key(NanbyoIdentifierSystems.DESIGNATION, key.get()),
                    existing.getMeta().getVersionId(), description));
        }
    }

    private Optional<OrganizationAffiliation> existingDesignation(String key) {
        return Optional.ofNullable(storedDesignations.get(key));
    }

    /** A stored designation's key, from its content (so designations made by hand are matched too). */
    private Optional<String> keyOf(OrganizationAffiliation designation) {
        Optional<String> code = snapshot.organization(designation.getParticipatingOrganization().getReference())
                .flatMap(organization -> organization.getIdentifier().stream()
                        .filter(id -> JpCoreSystems.MEDICAL_INSTITUTION_CODE.equals(id.getSystem()))
                        .map(Identifier::getValue)
                        .findFirst());
        if (code.isEmpty() || !designation.getPeriod().hasStart()) {
            return Optional.empty();
        }
        // Streams, not getXxxFirstRep(): those add an empty element to the resource they read.
        String role = codeIn(designation.getCode(), DesignationTerminology.ROLE_SYSTEM).orElse("");
        String field = codeIn(designation.getSpecialty(), DesignationTerminology.FIELD_SYSTEM).orElse("");
        LocalDate start = toLocalDate(designation.getPeriod().getStartElement());
        return Optional.of(designationKey(prefecture.code(), code.get(), role, field, String.valueOf(start)));
    }

    private static Optional<String> codeIn(List<CodeableConcept> concepts, String system) {
        return concepts.stream().flatMap(concept -> concept.getCoding().stream())
                .filter(coding -> system.equals(coding.getSystem())).map(Coding::getCode).findFirst();
    }

    // ---- writes

    private Reference create(DomainResource resource, String identifier, String description) {
        String fullUrl = "urn:uuid:" + UUID.randomUUID();
        writes.add(new Write(Action.CREATE, resource, fullUrl, identifier, null, description));
        return new Reference(fullUrl).setDisplay(displayOf(resource));
    }

    private Reference update(DomainResource existing, DomainResource changed, String identifier, String description) {
        Reference reference = referenceTo(existing, displayOf(changed));
        if (changed.equalsDeep(existing)) {
            unchanged++;
        } else {
            writes.add(new Write(Action.UPDATE, changed, fullUrlOf(existing), identifier, existing.getMeta().getVersionId(),
                    description));
        }
        return reference;
    }

    private static String fullUrlOf(Resource existing) {
        return existing.getIdElement().toUnqualifiedVersionless().getValue();
    }

    private static Reference referenceTo(Resource existing, String display) {
        return new Reference(fullUrlOf(existing)).setDisplay(display);
    }

    private static String displayOf(DomainResource resource) {
        if (resource instanceof Organization organization) {
            return organization.getName();
        }
        if (resource instanceof Location location) {
            return location.getName();
        }
        return null;
    }

    // ---- values

    private void setPrefecture(DomainResource resource) {
        Coding coding = new Coding(JpCoreSystems.PREFECTURE_NO, prefecture.code(), prefecture.name());
        Extension extension = resource.getExtensionByUrl(NanbyoPackage.EXTENSION_PREFECTURE);
        if (extension == null) {
            resource.addExtension(NanbyoPackage.EXTENSION_PREFECTURE, coding);
        } else if (!coding.equalsDeep(extension.getValue())) {
            extension.setValue(coding);
        }
    }

    /** The list's address as the first address (kept in place when it already says the same). */
    private void setAddress(List<Address> addresses, DesignationRow row) {
        Address address = new Address().setState(prefecture.name()).setCountry("JP");
        if (!row.address().isEmpty()) {
            address.setText(row.address());
        }
        if (!row.postalCode().isEmpty()) {
            address.setPostalCode(row.postalCode());
        }
        municipalityIn(row.address()).ifPresent(address::setCity);
        if (addresses.isEmpty()) {
            addresses.add(address);
        } else if (!addresses.get(0).equalsDeep(address)) {
            addresses.set(0, address);
        }
    }

    /**
     * The municipality an address names right after the prefecture (past a 郡, as in 北群馬郡吉岡町),
     * when the terminology lists it.
     */
    private Optional<String> municipalityIn(String address) {
        String rest = address.startsWith(prefecture.name()) ? address.substring(prefecture.name().length()) : address;
        Optional<String> named = municipalityAtStart(rest);
        if (named.isPresent()) {
            return named;
        }
        Matcher district = DISTRICT.matcher(rest);
        return district.find() ? municipalityAtStart(rest.substring(district.end())) : Optional.empty();
    }

    private Optional<String> municipalityAtStart(String text) {
        return terminology.areas(prefecture.code()).stream()
                .flatMap(area -> area.municipalities().stream())
                .filter(text::startsWith)
                .findFirst();
    }

    private static void setPhone(List<ContactPoint> telecom, String phone) {
        for (ContactPoint point : telecom) {
            if (point.getSystem() == ContactPoint.ContactPointSystem.PHONE) {
                if (!phone.equals(point.getValue())) {
                    point.setValue(phone);
                }
                return;
            }
        }
        telecom.add(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone)
                .setUse(ContactPoint.ContactPointUse.WORK));
    }

    private static void ensureIdentifier(List<Identifier> identifiers, String system, String value) {
        boolean present = identifiers.stream().anyMatch(id -> system.equals(id.getSystem()) && value.equals(id.getValue()));
        if (!present) {
            identifiers.add(identifier(system, value));
        }
    }

    private static Identifier identifier(String system, String value) {
        return new Identifier().setSystem(system).setValue(value);
    }

    private static CodeableConcept organizationType(String code, String display) {
        return new CodeableConcept(new Coding(ORGANIZATION_TYPE_SYSTEM, code, display));
    }

    private static String describe(String hospital, String role, DesignationTerminology.Field field, LocalDate start, LocalDate end) {
        return "指定 " + hospital + " " + role + (field == null ? "" : " (" + field.display() + ")") + " "
                + start + "〜" + (end == null ? "" : end);
    }

    private static LocalDate toLocalDate(DateTimeType date) {
        return date == null || date.isEmpty() ? null : LocalDate.parse(date.getValueAsString().substring(0, 10));
    }
}
