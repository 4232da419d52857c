package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.server.directory.CareFinder.Candidate;
import jp.nanbyo.fhir.server.directory.DirectoryReader.DesignationQuery;
import jp.nanbyo.fhir.server.directory.DirectoryReader.Found;
import jp.nanbyo.fhir.server.directory.DirectoryTerminology.Concept;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $find-care}: where should this patient go. Reads the patient's place (municipality or 二次医療圏),
 * the prefecture's designations in force on the date and the services of the wanted type covering the
 * patient, and answers a ranked searchset: each candidate Organization with {@code search.score} and its
 * reasons ({@code nanbyo-match-reason}), then the designations and services that gave them, then an
 * information outcome saying how the request was understood. The rules: {@link CareFinder}.
 */
class CareFinderOperation {

    private static final int DEFAULT_COUNT = 10;
    private static final int MAXIMUM_COUNT = 100;

    private final DirectoryTerminology terminology;
    private final DirectoryReader reader;
    private final CareFinder careFinder;

    CareFinderOperation(DirectoryTerminology terminology, DirectoryReader reader) {
        this.terminology = terminology;
        this.reader = reader;
        this.careFinder = new CareFinder(terminology);
    }

    /** Where the patient is: prefecture, and the local jurisdictions (area, municipality) if known. */
    private record Place(Concept prefecture, Location area, Location municipality) {

        Set<String> local() {
            Set<String> local = new LinkedHashSet<>();
            if (area != null) {
                local.add(area.getIdElement().toUnqualifiedVersionless().getValue());
            }
            if (municipality != null) {
                local.add(municipality.getIdElement().toUnqualifiedVersionless().getValue());
            }
            return local;
        }

        String describe() {
            return prefecture.display() + (area == null ? "" : " " + area.getName()) + (municipality == null ? "" : " " + municipality.getName());
        }
    }

    @Operation(name = "$find-care", idempotent = true, bundleType = ca.uhn.fhir.model.valueset.BundleTypeEnum.SEARCHSET)
    public Bundle findCare(
            @OperationParam(name = "service", min = 1, max = 1) StringType service,
            @OperationParam(name = "disease", max = 1) StringType disease,
            @OperationParam(name = "field", max = 1) StringType field,
            @OperationParam(name = "municipality", max = 1) StringType municipality,
            @OperationParam(name = "area", max = 1) StringType area,
            @OperationParam(name = "prefecture", max = 1) StringType prefecture,
            @OperationParam(name = "date", max = 1) StringType date,
            @OperationParam(name = "delivery", max = 1) StringType delivery,
            @OperationParam(name = "count", max = 1) IntegerType count,
            RequestDetails request) {
        OperationInputs.checkGiven(request,
                List.of("service", "disease", "field", "municipality", "area", "prefecture", "date", "delivery", "count"));
        Concept serviceType = terminology.serviceTypes.resolveRequired("service", service);
        Optional<Concept> diseaseConcept = terminology.diseases.resolveIfGiven("disease", disease);
        List<String> fields = new ArrayList<>(diseaseConcept.map(terminology::fieldsOf).orElse(List.of()));
        terminology.fields.resolveIfGiven("field", field).map(Concept::code)
                .filter(f -> !fields.contains(f)).ifPresent(fields::add);
        String deliveryMethod = deliveryMethod(OperationInputs.text(delivery));
        LocalDate day = OperationInputs.date(date);
        Integer asked = count == null ? null : count.getValue();
        if (asked != null && asked < 1) {
            throw new InvalidRequestException("count: 1 以上を指定してください（最大 %d） (give 1 or more, up to %d): %d"
                    .formatted(MAXIMUM_COUNT, MAXIMUM_COUNT, asked));
        }
        int limit = asked == null ? DEFAULT_COUNT : Math.min(MAXIMUM_COUNT, asked);
        Place place = place(OperationInputs.text(prefecture), OperationInputs.text(area), OperationInputs.text(municipality));

        Found<OrganizationAffiliation> designations = reader.designations(new DesignationQuery(place.prefecture().code(), day, null, null, null));
        List<Location> coverage = new ArrayList<>();
        reader.prefecture(place.prefecture().code()).ifPresent(coverage::add);
        Optional.ofNullable(place.area()).ifPresent(coverage::add);
        Optional.ofNullable(place.municipality()).ifPresent(coverage::add);
        Found<HealthcareService> services = coverage.isEmpty()
                ? new Found<>(List.of(), List.of()) : reader.services(serviceType.code(), coverage);

        Map<String, Organization> organizations = new HashMap<>();
        for (Resource resource : concat(designations.included(), services.included())) {
            if (resource instanceof Organization organization) {
                organizations.put(organization.getIdElement().toUnqualifiedVersionless().getValue(), organization);
            }
        }
        Map<String, String> names = organizations.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getName()));
        CareFinder.Need need = new CareFinder.Need(serviceType.code(), diseaseConcept.map(Concept::code).orElse(null),
                List.copyOf(fields), place.local(), day, deliveryMethod);
        List<Candidate> ranked = careFinder.rank(need, designations.matches(), services.matches(), names);

        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(ranked.size());
        Map<String, Resource> evidence = new LinkedHashMap<>();
        for (Candidate candidate : ranked.subList(0, Math.min(limit, ranked.size()))) {
            Organization organization = organizations.get(candidate.organization());
            if (organization == null) {
                continue; // an organization the includes did not bring (deleted meanwhile): nothing to show
            }
            BundleEntryComponent entry = bundle.addEntry()
                    .setFullUrl(request.getFhirServerBase() + "/" + candidate.organization())
                    .setResource(organization);
            entry.getSearch().setMode(SearchEntryMode.MATCH).setScore(candidate.score());
            candidate.reasons().forEach(reason -> entry.getSearch().addExtension(reason.extension()));
            CareFinder.evidence(candidate).forEach(r -> evidence.putIfAbsent(r.getIdElement().toUnqualifiedVersionless().getValue(), r));
        }
        evidence.values().forEach(r -> DesignatedOperation.entry(bundle, request, r, SearchEntryMode.INCLUDE));
        bundle.addEntry().setResource(understood(serviceType, diseaseConcept, fields, place, day, deliveryMethod, ranked.size()))
                .getSearch().setMode(SearchEntryMode.OUTCOME);
        return bundle;
    }

    /** The patient's place: a municipality gives its area and prefecture; an area its prefecture. */
    private Place place(String prefecture, String area, String municipality) {
        Optional<Concept> prefectureConcept = Optional.ofNullable(prefecture).map(p -> terminology.prefectures.resolve("prefecture", p));
        if (municipality != null) {
            Found<Location> named = reader.municipalities(nameOf(municipality));
            Location found = municipality(municipality, named.matches(), prefectureConcept);
            Concept itsPrefecture = terminology.prefectures.resolve("prefecture", found.getIdentifierFirstRep().getValue().split(":")[0]);
            String partOf = CareFinder.reference(found.getPartOf());
            Location itsArea = named.included().stream().filter(Location.class::isInstance).map(Location.class::cast)
                    .filter(l -> l.getIdElement().toUnqualifiedVersionless().getValue().equals(partOf)).findFirst().orElse(null);
            if (area != null) {
                requireSameArea(area, itsPrefecture, found, itsArea);
            }
            return new Place(itsPrefecture, itsArea, found);
        }
        if (area != null) {
            Concept areaConcept = terminology.area(area, prefectureConcept.map(Concept::code));
            Concept ofArea = terminology.prefectures.get(areaConcept.property("prefecture").get(0));
            return new Place(ofArea, reader.area(areaConcept.code()).orElse(null), null);
        }
        return new Place(prefectureConcept.orElseThrow(() -> new InvalidRequestException(
                "患者の市区町村 (municipality)、二次医療圏 (area) または都道府県 (prefecture) を指定してください"
                        + " (give the patient's municipality, area or prefecture)")), null, null);
    }

    /** An area given besides the municipality must be the municipality's: else which place was meant is unknown. */
    private void requireSameArea(String area, Concept prefecture, Location municipality, Location itsArea) {
        Concept given = terminology.area(area, Optional.of(prefecture.code()));
        Optional<String> givenArea = reader.area(given.code()).map(l -> l.getIdElement().toUnqualifiedVersionless().getValue());
        String municipalityArea = itsArea == null ? null : itsArea.getIdElement().toUnqualifiedVersionless().getValue();
        if (givenArea.isEmpty() || !givenArea.get().equals(municipalityArea)) {
            String its = itsArea == null ? "-" : itsArea.getName();
            throw new InvalidRequestException(("area: 「%s」は municipality「%s」の二次医療圏（%s）と違います。どちらか一方を指定してください"
                    + " (area %s is not the area of municipality %s, which is %s; give one of them)")
                    .formatted(area, municipality.getName(), its, area, municipality.getName(), its));
        }
    }

    /** A municipality by name ({@code 沼田市}) or identifier value ({@code 10:沼田市}). */
    private static String nameOf(String text) {
        return text.contains(":") ? text.substring(text.indexOf(':') + 1) : text;
    }

    private static Location municipality(String text, List<Location> named, Optional<Concept> prefecture) {
        List<Location> found = named.stream()
                .filter(l -> prefecture.isEmpty() || l.getIdentifierFirstRep().getValue().startsWith(prefecture.get().code() + ":"))
                .filter(l -> !text.contains(":") || l.getIdentifierFirstRep().getValue().equals(text))
                .toList();
        if (found.size() == 1) {
            return found.get(0);
        }
        throw new InvalidRequestException(found.isEmpty()
                ? "municipality: 「%s」は名簿にある市区町村ではありません (not a municipality of the directory); 二次医療圏 (area) で指定することもできます".formatted(text)
                : "municipality: 「%s」は複数の都道府県にあります。prefecture も指定してください (several prefectures have it; give the prefecture)".formatted(text));
    }

    private static String deliveryMethod(String text) {
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "in-person", "対面" -> "in-person";
            case "online", "オンライン" -> "online";
            default -> throw new InvalidRequestException("delivery: in-person (対面) または online (オンライン) (either in-person or online): " + text);
        };
    }

    private OperationOutcome understood(Concept service, Optional<Concept> disease, List<String> fields, Place place,
            LocalDate day, String delivery, int candidates) {
        String what = "サービス (service): " + service.display()
                + disease.map(d -> " / 疾病 (disease): " + d.display() + " (" + d.code() + ")").orElse("")
                + (fields.isEmpty() ? "" : " / 分野 (field): " + fields.stream().map(f -> terminology.fields.get(f).display()).collect(Collectors.joining("・")))
                + " / 場所 (place): " + place.describe() + " / 日付 (date): " + day
                + (delivery == null ? "" : " / 提供方法 (delivery): " + delivery)
                + " → 候補 " + candidates + " 件 (candidates)";
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(what);
        return outcome;
    }

    private static List<Resource> concat(List<Resource> first, List<Resource> second) {
        List<Resource> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
