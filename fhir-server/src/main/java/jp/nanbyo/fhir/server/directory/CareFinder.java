package jp.nanbyo.fhir.server.directory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.nanbyo.fhir.profiles.NanbyoPackage;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * "Where should this patient go": ranks the institutions of the patient's prefecture for one service by
 * points, one rule per reason (docs/directory.md, "Ranking rules"). Plain Java over resources already read;
 * it neither searches nor knows HTTP. Every candidate carries the reasons that ranked it, each with its
 * evidence (the designation or service) and points, so the answer explains itself.
 */
final class CareFinder {

    /** The services the rules know by name; any other service type ranks by the {@code OTHER} column. */
    static final List<String> SERVICES = List.of("diagnosis", "genetic-testing", "genetic-counselling", "transition-care",
            "respite-admission", "continuing-care");
    static final String OTHER = "other";

    /**
     * Points per reason and service: the ranking rules. Columns in the order of {@link #SERVICES}, then
     * {@link #OTHER}. docs/directory.md shows this table; {@code CareFinderTest} keeps the two equal.
     */
    static final Map<String, int[]> POINTS = points();

    /** The designation role that is itself a designation for a service. */
    static final Map<String, String> ROLE_FOR_SERVICE = Map.of(
            "transition-care", "pediatric-transition-institution",
            "respite-admission", "respite-admission-hospital",
            "long-term-inpatient-care", "long-term-care-hospital",
            "consultation", "consultation-support-center");

    /** Reasons that make an institution a candidate; the others only order candidates. */
    private static final Set<String> QUALIFYING = Set.of("field-hub", "prefectural-hub", "cooperating-hospital",
            "transition-center", "designated-for-service", "offers-service");

    private static Map<String, int[]> points() {
        Map<String, int[]> points = new LinkedHashMap<>();
        //                                        diag gtest gcoun trans resp cont other
        points.put("field-hub", new int[]{60, 40, 20, 10, 0, 10, 0});
        points.put("prefectural-hub", new int[]{50, 30, 20, 10, 0, 5, 0});
        points.put("cooperating-hospital", new int[]{10, 0, 0, 0, 10, 40, 0});
        points.put("transition-center", new int[]{0, 0, 0, 60, 0, 0, 0});
        points.put("designated-for-service", new int[]{0, 0, 0, 40, 60, 0, 60});
        points.put("offers-service", new int[]{30, 60, 60, 30, 40, 30, 60});
        points.put("eligible-disease", new int[]{10, 10, 10, 10, 10, 10, 10});
        points.put("same-area", new int[]{5, 0, 0, 10, 30, 30, 20});
        points.put("accepting-referrals", new int[]{5, 5, 5, 5, 5, 5, 5});
        points.put("online", new int[]{10, 10, 10, 10, 10, 10, 10});
        return Collections.unmodifiableMap(points);
    }

    /**
     * What the patient needs.
     *
     * @param service the service type code
     * @param disease the 指定難病 code, or null
     * @param fields the disease fields (of the disease, or given), possibly empty
     * @param localAreas references ({@code Location/id}) of the patient's 二次医療圏 and municipality, possibly empty
     * @param date the day the care is wanted
     * @param delivery {@code in-person} or {@code online}, or null for either
     */
    record Need(String service, String disease, List<String> fields, Set<String> localAreas, LocalDate date, String delivery) {
    }

    /** One reason: its code and Japanese name, the evidence, and the points it gave. */
    record Reason(String code, String display, String evidence, int points, Resource source) {

        Extension extension() {
            CodeableConcept value = new CodeableConcept(new Coding(DirectoryTerminology.REASON_SYSTEM, code, display))
                    .setText(display + ": " + evidence + " (+" + points + ")");
            return new Extension(NanbyoPackage.EXTENSION_MATCH_REASON, value);
        }
    }

    /** An institution, its points and why. */
    record Candidate(String organization, int points, double score, List<Reason> reasons) {
    }

    private final DirectoryTerminology terminology;

    CareFinder(DirectoryTerminology terminology) {
        this.terminology = terminology;
    }

    /**
     * Ranks the institutions that the designations in force and the services offered make candidates.
     *
     * @param designations the prefecture's designations in force on the date
     * @param services active services of the wanted type covering the patient's prefecture or area
     * @param names the organizations' names by reference, to order ties
     */
    List<Candidate> rank(Need need, List<OrganizationAffiliation> designations, List<HealthcareService> services,
            Map<String, String> names) {
        int column = column(need.service());
        int maximum = POINTS.values().stream().mapToInt(p -> p[column]).sum();
        Map<String, List<Reason>> reasons = new LinkedHashMap<>();
        for (OrganizationAffiliation designation : designations) {
            String organization = reference(designation.getParticipatingOrganization());
            for (Reason reason : designationReasons(need, designation, column)) {
                reasons.computeIfAbsent(organization, key -> new ArrayList<>()).add(reason);
            }
        }
        for (HealthcareService service : services) {
            if (!usable(service, need)) {
                continue;
            }
            String organization = reference(service.getProvidedBy());
            for (Reason reason : serviceReasons(need, service, column)) {
                reasons.computeIfAbsent(organization, key -> new ArrayList<>()).add(reason);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        reasons.forEach((organization, found) -> {
            List<Reason> best = bestPerCode(found);
            boolean qualifies = best.stream().anyMatch(r -> QUALIFYING.contains(r.code()) && r.points() > 0);
            if (qualifies) {
                int total = best.stream().mapToInt(Reason::points).sum();
                double score = Math.round(Math.min(1.0, (double) total / maximum) * 100) / 100.0;
                candidates.add(new Candidate(organization, total, score, best));
            }
        });
        candidates.sort(Comparator.comparingInt(Candidate::points).reversed()
                .thenComparing(c -> names.getOrDefault(c.organization(), ""))
                .thenComparing(Candidate::organization));
        return candidates;
    }

    static int column(String service) {
        int index = SERVICES.indexOf(service);
        return index >= 0 ? index : SERVICES.size();
    }

    private List<Reason> designationReasons(Need need, OrganizationAffiliation designation, int column) {
        List<Reason> found = new ArrayList<>();
        String role = designation.getCodeFirstRep().getCodingFirstRep().getCode();
        String roleName = terminology.roles.get(role) == null ? role : terminology.roles.get(role).display();
        String evidence = "指定";
        String period = " " + designation.getPeriod().getStartElement().getValueAsString() + "〜"
                + (designation.getPeriod().hasEnd() ? designation.getPeriod().getEndElement().getValueAsString() : "");
        switch (role) {
            case "field-hub-hospital" -> designation.getSpecialty().stream()
                    .flatMap(s -> s.getCoding().stream())
                    .filter(c -> need.fields().contains(c.getCode()))
                    .findFirst()
                    .ifPresent(field -> add(found, "field-hub", evidence + " " + display(terminology.fields, field.getCode()) + period,
                            column, designation));
            case "hub-hospital" -> add(found, "prefectural-hub", evidence + period, column, designation);
            case "cooperating-hospital" -> add(found, "cooperating-hospital", evidence + period, column, designation);
            case "transition-support-center" -> add(found, "transition-center", evidence + period, column, designation);
            default -> {
            }
        }
        if (role.equals(ROLE_FOR_SERVICE.get(need.service()))) {
            add(found, "designated-for-service", roleName + "の" + evidence + period, column, designation);
        }
        boolean local = designation.getLocation().stream().map(CareFinder::reference).anyMatch(need.localAreas()::contains);
        if (local) {
            String area = designation.getLocation().stream().filter(l -> need.localAreas().contains(reference(l)))
                    .map(Reference::getDisplay).filter(d -> d != null).findFirst().orElse("");
            add(found, "same-area", area + " (" + roleName + "の担当区域)", column, designation);
        }
        return found;
    }

    private List<Reason> serviceReasons(Need need, HealthcareService service, int column) {
        List<Reason> found = new ArrayList<>();
        String name = "「" + service.getName() + "」";
        add(found, "offers-service", name, column, service);
        boolean eligible = service.getExtensionsByUrl(NanbyoPackage.EXTENSION_ELIGIBLE_DISEASE).stream()
                .map(e -> (CodeableConcept) e.getValue())
                .flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> DirectoryTerminology.DISEASE_SYSTEM.equals(c.getSystem()) && c.getCode().equals(need.disease()))
                || service.getSpecialty().stream().flatMap(s -> s.getCoding().stream())
                .anyMatch(c -> DirectoryTerminology.FIELD_SYSTEM.equals(c.getSystem()) && need.fields().contains(c.getCode()));
        if (eligible) {
            add(found, "eligible-disease", name, column, service);
        }
        boolean local = service.getCoverageArea().stream().map(CareFinder::reference).anyMatch(need.localAreas()::contains);
        if (local) {
            add(found, "same-area", name + "の対象区域", column, service);
        }
        if (acceptingReferrals(service) == Boolean.TRUE) {
            add(found, "accepting-referrals", name, column, service);
        }
        if ("online".equals(need.delivery())) {
            add(found, "online", name, column, service);
        }
        return found;
    }

    /** A service counts if it accepts referrals (or does not say), is available that day and delivers as asked. */
    private static boolean usable(HealthcareService service, Need need) {
        if (acceptingReferrals(service) == Boolean.FALSE) {
            return false;
        }
        boolean unavailable = service.getNotAvailable().stream().anyMatch(n -> n.hasDuring() && contains(n.getDuring(), need.date()));
        if (unavailable) {
            return false;
        }
        return need.delivery() == null || service.getExtensionsByUrl(NanbyoPackage.EXTENSION_DELIVERY_METHOD).stream()
                .anyMatch(e -> e.getValue() instanceof CodeType code && need.delivery().equals(code.getValue()));
    }

    static Boolean acceptingReferrals(HealthcareService service) {
        Extension extension = service.getExtensionByUrl(NanbyoPackage.EXTENSION_ACCEPTING_REFERRALS);
        return extension != null && extension.getValue() instanceof BooleanType accepting ? accepting.getValue() : null;
    }

    private static boolean contains(Period period, LocalDate date) {
        String day = date.toString();
        boolean started = !period.hasStart() || period.getStartElement().getValueAsString().substring(0, 10).compareTo(day) <= 0;
        boolean notEnded = !period.hasEnd() || period.getEndElement().getValueAsString().substring(0, 10).compareTo(day) >= 0;
        return started && notEnded;
    }

    private void add(List<Reason> found, String code, String evidence, int column, Resource source) {
        int points = POINTS.get(code)[column];
        if (points > 0) {
            found.add(new Reason(code, terminology.reasons.get(code).display(), evidence, points, source));
        }
    }

    /** A rule counts once per institution: its best piece of evidence. */
    private static List<Reason> bestPerCode(List<Reason> reasons) {
        Map<String, Reason> best = new LinkedHashMap<>();
        for (Reason reason : reasons) {
            best.merge(reason.code(), reason, (a, b) -> b.points() > a.points() ? b : a);
        }
        List<Reason> ordered = new ArrayList<>(best.values());
        ordered.sort(Comparator.comparingInt(Reason::points).reversed());
        return ordered;
    }

    private static String display(DirectoryTerminology.Table table, String code) {
        return table.get(code) == null ? code : table.get(code).display();
    }

    static String reference(Reference reference) {
        return reference.getReferenceElement().toUnqualifiedVersionless().getValue();
    }

    /** The resources that gave an institution its reasons, once each. */
    static Set<Resource> evidence(Candidate candidate) {
        Set<Resource> sources = new LinkedHashSet<>();
        candidate.reasons().forEach(reason -> sources.add(reason.source()));
        return sources;
    }
}
