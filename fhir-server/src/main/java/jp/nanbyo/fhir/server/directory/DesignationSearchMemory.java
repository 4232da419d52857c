package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.nanbyo.fhir.server.directory.DirectoryReader.Found;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link DesignationSearch} from memory: the designations of each prefecture network asked about, loaded
 * once through HAPI's own search ({@code OrganizationAffiliation?primary-organization.identifier=…} with both
 * includes) and kept, encoded as JSON, until the directory changes ({@link DirectoryGeneration}, read at every
 * answer). Role and date are then matched here, by the rules docs/directory.md gives for the REST search.
 *
 * <p>A network whose designations this cannot match exactly by those rules (a period without a start or not in
 * whole days, an include target not found) is left to HAPI, as is a network with more designations than
 * {@link #LOAD_LIMIT}.
 */
class DesignationSearchMemory {

    /** More designations than any prefecture has; a network above it is left to HAPI's paging. */
    static final int LOAD_LIMIT = 5_000;
    /** Networks held at most; the keys come from requests, so a flood of made-up ones must not fill the heap. */
    static final int NETWORKS_HELD = 500;

    /** A resource as it goes into a Bundle entry: its {@code Type/id} and its JSON; and as read, for the operations. */
    record Encoded(String reference, String json, Resource resource) {
    }

    /** One page of an answer. {@code total} counts every match, not just the page's. */
    record Page(List<Encoded> matches, List<Encoded> included, int total) {
    }

    private record Designation(Encoded encoded, List<Coding> roles, boolean dated, LocalDate start, LocalDate end,
            String hospital, List<String> areas) {
    }

    /** A network's designations as HAPI found them at {@code generation}; null designations when not answerable. */
    private record Snapshot(long generation, List<Designation> designations, Map<String, Encoded> targets) {
    }

    private static final Logger log = LoggerFactory.getLogger(DesignationSearchMemory.class);

    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final DirectoryGeneration generation;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    DesignationSearchMemory(DaoRegistry daos, FhirContext fhirContext, DirectoryGeneration generation) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.generation = generation;
    }

    /** The page asked for, or empty when this network is left to HAPI. */
    Optional<Page> answer(DesignationSearch search) {
        Snapshot snapshot = current(search.network());
        if (snapshot.designations() == null) {
            return Optional.empty();
        }
        List<Designation> matches = snapshot.designations().stream().filter(d -> matches(d, search)).toList();
        int first = Math.min(search.offset(), matches.size());
        List<Designation> page = matches.subList(first, first + Math.min(search.count(), matches.size() - first));
        Map<String, Encoded> included = new LinkedHashMap<>();
        for (Designation designation : page) {
            if (search.includeHospitals() && designation.hospital() != null) {
                included.putIfAbsent(designation.hospital(), snapshot.targets().get(designation.hospital()));
            }
            if (search.includeAreas()) {
                designation.areas().forEach(area -> included.putIfAbsent(area, snapshot.targets().get(area)));
            }
        }
        return Optional.of(new Page(page.stream().map(Designation::encoded).toList(), List.copyOf(included.values()), matches.size()));
    }

    /**
     * Every designation the search matches, with the hospitals and areas of all of them, as copies the caller may
     * change: what {@link DirectoryReader#designations} would find through HAPI. Empty when the network is left to HAPI.
     */
    Optional<Found<OrganizationAffiliation>> found(String network, String role, LocalDate day) {
        List<DesignationSearch.Token> roles = role == null ? List.of() : List.of(new DesignationSearch.Token(DirectoryTerminology.ROLE_SYSTEM, role));
        return answer(new DesignationSearch(network, roles, day, day, true, true, Integer.MAX_VALUE, 0))
                .map(page -> new Found<>(
                        page.matches().stream().map(e -> (OrganizationAffiliation) e.resource().copy()).toList(),
                        page.included().stream().map(e -> e.resource().copy()).toList()));
    }

    /** The network's snapshot at the directory's current generation, loaded when none is held or it is older. */
    private Snapshot current(String network) {
        long current = generation.current();
        Snapshot held = snapshots.get(network);
        if (held != null && held.generation() >= current) {
            return held;
        }
        if (snapshots.size() >= NETWORKS_HELD) {
            snapshots.clear();
        }
        // The generation was read before loading: a change committed meanwhile makes the next answer load again.
        Snapshot loaded = load(network, current);
        return snapshots.merge(network, loaded, (other, fresh) -> fresh.generation() >= other.generation() ? fresh : other);
    }

    private static boolean matches(Designation designation, DesignationSearch search) {
        boolean roleMatches = search.roles().isEmpty() || search.roles().stream().anyMatch(token -> designation.roles().stream()
                .anyMatch(coding -> token.code().equals(coding.getCode()) && (token.system() == null || token.system().equals(coding.getSystem()))));
        if (!roleMatches) {
            return false;
        }
        if (search.from() == null && search.to() == null) {
            return true;
        }
        // ge: the period reaches the day or later (no end reaches every day); le: it begins on or before the day.
        return designation.dated()
                && (search.from() == null || designation.end() == null || !designation.end().isBefore(search.from()))
                && (search.to() == null || !designation.start().isAfter(search.to()));
    }

    private Snapshot load(String network, long atGeneration) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        List<IBaseResource> found;
        try {
            map.add(OrganizationAffiliation.SP_PRIMARY_ORGANIZATION, DirectoryReader.chainedToIdentifier(fhirContext, network));
            map.addInclude(new Include(DesignationSearch.INCLUDE_HOSPITALS));
            map.addInclude(new Include(DesignationSearch.INCLUDE_AREAS));
            map.setCount(LOAD_LIMIT);
            found = daos.getResourceDao(OrganizationAffiliation.class).search(map, new SystemRequestDetails()).getAllResources();
        } catch (BaseServerResponseException badValue) {
            // HAPI will answer the request with the same error, in its own words.
            return leftToHapi(network, atGeneration, badValue.getMessage());
        }
        IParser json = fhirContext.newJsonParser();
        List<Designation> designations = new ArrayList<>();
        Map<String, Encoded> targets = new HashMap<>();
        for (IBaseResource resource : found) {
            Encoded encoded = new Encoded(((Resource) resource).getIdElement().toUnqualifiedVersionless().getValue(),
                    json.encodeResourceToString(resource), (Resource) resource);
            if (resource instanceof OrganizationAffiliation affiliation) {
                Optional<Designation> designation = designation(affiliation, encoded);
                if (designation.isEmpty()) {
                    return leftToHapi(network, atGeneration, encoded.reference() + " has a period without a start or not in whole days");
                }
                designations.add(designation.get());
            } else {
                targets.put(encoded.reference(), encoded);
            }
        }
        if (designations.size() >= LOAD_LIMIT) {
            return leftToHapi(network, atGeneration, "more than " + LOAD_LIMIT + " designations");
        }
        Optional<Designation> incomplete = designations.stream()
                .filter(d -> (d.hospital() != null && !targets.containsKey(d.hospital())) || !targets.keySet().containsAll(d.areas()))
                .findFirst();
        if (incomplete.isPresent()) {
            return leftToHapi(network, atGeneration, "the hospital or an area of " + incomplete.get().encoded().reference() + " was not included");
        }
        return new Snapshot(atGeneration, List.copyOf(designations), targets);
    }

    private static Snapshot leftToHapi(String network, long atGeneration, String why) {
        log.info("Designation searches of {} go to HAPI's search until the directory changes: {}", network, why);
        return new Snapshot(atGeneration, null, Map.of());
    }

    /** The designation's searchable parts, or empty when its period is not in whole days with a start. */
    private static Optional<Designation> designation(OrganizationAffiliation affiliation, Encoded encoded) {
        Period period = affiliation.hasPeriod() ? affiliation.getPeriod() : new Period(); // the getter would add an empty one
        boolean dated = period.hasStart() || period.hasEnd();
        boolean wholeDays = day(period.getStartElement()) && (!period.hasEnd() || day(period.getEndElement()));
        if (dated && !wholeDays) {
            return Optional.empty();
        }
        LocalDate start = dated ? LocalDate.parse(period.getStartElement().getValueAsString()) : null;
        LocalDate end = dated && period.hasEnd() ? LocalDate.parse(period.getEndElement().getValueAsString()) : null;
        List<Coding> roles = affiliation.getCode().stream().flatMap(concept -> concept.getCoding().stream()).toList();
        return Optional.of(new Designation(encoded, roles, dated, start, end, target(affiliation.getParticipatingOrganization()),
                affiliation.getLocation().stream().map(DesignationSearchMemory::target).filter(Objects::nonNull).toList()));
    }

    private static boolean day(DateTimeType value) {
        return value.hasValue() && value.getPrecision() == TemporalPrecisionEnum.DAY;
    }

    /**
     * The {@code Type/id} an include brings for this reference; null for none (no reference, or one to another
     * server). A versioned reference is not found among the targets, which leaves the network to HAPI.
     */
    private static String target(Reference reference) {
        String value = reference.getReference();
        return value == null || value.contains("://") ? null : value;
    }
}
