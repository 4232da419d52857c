package jp.nanbyo.fhir.routes.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Mapped;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Resolution;
import jp.nanbyo.fhir.routes.sync.SourceToLocalMapper.Target;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Action;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Rejection;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Unit;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Write;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;

/**
 * Decides, for the newest version of each changed resource, what the local directory must do, and
 * in which order, so that the server's referential integrity holds at every write.
 *
 * <ul>
 *   <li><b>Identity.</b> A source resource lives locally as {@code <source id>.<its id>}
 *       ({@link LocalIds}). Held already: updated (or left alone when the copy holds that version).
 *       Not held, and a local resource of another origin (a designation import, another source)
 *       holds one of its identifiers: <b>linked</b>, not written; references to it point to that
 *       local resource, which the sync never changes. Several such holders: rejected.</li>
 *   <li><b>References</b> to the source's resources are rewritten to their local ids. A target not
 *       changed in this run is looked up locally; a target the directory lacks is read from the
 *       source and taken in this run (or linked); a target the source lacks, or of a type not
 *       synced, rejects the resource that refers to it, and so on up the chain.</li>
 *   <li><b>Order.</b> A resource is written with or after everything it refers to: resources that
 *       refer to one another in a cycle go into one transaction; deletions come after all updates.</li>
 * </ul>
 */
final class SyncPlanner {

    /** What the local directory holds of the source. */
    interface LocalLookup {

        /** The resources of a type held here among {@code localIds}: local id → its {@code meta.source}, if any. */
        Map<String, Optional<String>> copies(String type, Collection<String> localIds);

        /** The local resources of a type that hold each identifier ({@code system|value}), by local id. */
        Map<String, Set<String>> holders(String type, Collection<String> identifierKeys);
    }

    /** The source, read beyond its history for resources that changes refer to. */
    interface SourceLookup {

        /** The current versions of the resources of a type with these ids; ids the source does not hold are absent. */
        List<SourceVersion> current(String type, Collection<String> ids);
    }

    /** Resources read from the source beyond its history in one run, at most. */
    static final int MAXIMUM_FETCHED = 10_000;

    private enum Kind {
        CREATE,
        UPDATE,
        DELETE,
        UNCHANGED,
        LINKED,
        REJECTED
    }

    private record Decision(Kind kind, String linkedTo, String reason) {

        static Decision of(Kind kind) {
            return new Decision(kind, null, null);
        }
    }

    private final SourceToLocalMapper mapper;
    private final String sourceId;
    private final Set<String> types;
    private final int transactionSize;
    private final LocalLookup local;
    private final SourceLookup source;

    private final Map<String, SourceVersion> versions = new LinkedHashMap<>();
    private final Map<String, Decision> decisions = new HashMap<>();
    /** Keys (Type/remote id) of resources this source's sync holds locally, with the source version held. */
    private final Map<String, Optional<String>> held = new HashMap<>();
    private final Set<String> lookedUp = new HashSet<>();
    /** Targets referred to but neither changed nor held, that cannot be resolved: key → why. */
    private final Map<String, String> unavailable = new HashMap<>();
    private final Map<String, Mapped> mapped = new HashMap<>();
    private int fetched;

    SyncPlanner(SourceToLocalMapper mapper, String sourceId, Collection<String> types, int transactionSize,
            LocalLookup local, SourceLookup source) {
        this.mapper = mapper;
        this.sourceId = sourceId;
        this.types = Set.copyOf(types);
        this.transactionSize = transactionSize;
        this.local = local;
        this.source = source;
    }

    /**
     * @param changes the newest version of each resource changed at the source
     * @param full write every resource again, even where the local copy holds that version (a resync)
     */
    SyncPlan plan(List<SourceVersion> changes, boolean full) {
        Deque<SourceVersion> pending = new ArrayDeque<>(changes);
        while (!pending.isEmpty()) {
            List<SourceVersion> round = new ArrayList<>(pending);
            pending.clear();
            round.forEach(version -> versions.put(version.key(), version));
            lookUpHeld(round.stream().map(SourceVersion::key).toList());
            decide(round, full);
            pending.addAll(missingTargets(round));
        }
        mapWrites();
        return new SyncPlan(transactions(), rejections(), count(Kind.UNCHANGED), count(Kind.LINKED), fetched);
    }

    // ---- what to do with each version

    private void decide(List<SourceVersion> round, boolean full) {
        List<SourceVersion> notHeld = new ArrayList<>();
        for (SourceVersion version : round) {
            Optional<String> copy = held.get(version.key());
            if (version.deleted()) {
                decisions.put(version.key(), Decision.of(copy == null ? Kind.UNCHANGED : Kind.DELETE));
            } else if (copy != null) {
                boolean current = !full && copy.isPresent() && !isOlder(copy.get(), version.version());
                decisions.put(version.key(), Decision.of(current ? Kind.UNCHANGED : Kind.UPDATE));
            } else {
                notHeld.add(version);
            }
        }
        linkOrCreate(notHeld);
    }

    /** A local copy of source version {@code held} is older than {@code incoming}. */
    private static boolean isOlder(String held, String incoming) {
        if (incoming == null) {
            return true;
        }
        Long a = HistoryToChangesMapper.number(held);
        Long b = HistoryToChangesMapper.number(incoming);
        return a != null && b != null ? a < b : !held.equals(incoming);
    }

    /** A resource not held here: linked to the local resource of another origin that holds its identifier, else created. */
    private void linkOrCreate(List<SourceVersion> notHeld) {
        Map<String, List<SourceVersion>> byType = notHeld.stream()
                .collect(Collectors.groupingBy(SourceVersion::type, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<SourceVersion>> ofType : byType.entrySet()) {
            Set<String> keys = new LinkedHashSet<>();
            ofType.getValue().forEach(version -> keys.addAll(identifierKeys(version.resource())));
            Map<String, Set<String>> holders = keys.isEmpty() ? Map.of() : local.holders(ofType.getKey(), keys);
            for (SourceVersion version : ofType.getValue()) {
                Set<String> others = new LinkedHashSet<>();
                for (String key : identifierKeys(version.resource())) {
                    holders.getOrDefault(key, Set.of()).stream()
                            .filter(localId -> !LocalIds.isFromSource(sourceId, localId))
                            .forEach(others::add);
                }
                if (others.isEmpty()) {
                    decisions.put(version.key(), Decision.of(Kind.CREATE));
                } else if (others.size() == 1) {
                    decisions.put(version.key(), new Decision(Kind.LINKED, others.iterator().next(), null));
                } else {
                    decisions.put(version.key(), new Decision(Kind.REJECTED, null, "its identifiers are held by several local "
                            + version.type() + " resources (" + String.join(", ", others) + "); it cannot be linked to one"));
                }
            }
        }
    }

    /** A resource's identifiers as {@code system|value} (those with both). */
    static List<String> identifierKeys(Resource resource) {
        return identifiers(resource).stream()
                .filter(identifier -> identifier.hasSystem() && identifier.hasValue())
                .map(identifier -> identifier.getSystem() + "|" + identifier.getValue())
                .toList();
    }

    private static List<Identifier> identifiers(Resource resource) {
        if (resource instanceof Organization organization) {
            return organization.getIdentifier();
        } else if (resource instanceof Location location) {
            return location.getIdentifier();
        } else if (resource instanceof HealthcareService service) {
            return service.getIdentifier();
        } else if (resource instanceof OrganizationAffiliation affiliation) {
            return affiliation.getIdentifier();
        } else if (resource instanceof Endpoint endpoint) {
            return endpoint.getIdentifier();
        } else if (resource instanceof Practitioner practitioner) {
            return practitioner.getIdentifier();
        } else if (resource instanceof PractitionerRole role) {
            return role.getIdentifier();
        }
        return List.of();
    }

    /**
     * Targets of the resources to write that this run has not met: held here (fine), or read from the
     * source to be taken in this run, or unavailable (their referrers will be rejected).
     */
    private List<SourceVersion> missingTargets(List<SourceVersion> round) {
        Set<String> unknown = new LinkedHashSet<>();
        for (SourceVersion version : round) {
            Kind kind = decisions.get(version.key()).kind();
            if (kind == Kind.CREATE || kind == Kind.UPDATE) {
                mapper.targets(version.resource()).stream().map(Target::key)
                        .filter(key -> !versions.containsKey(key) && !unavailable.containsKey(key))
                        .forEach(unknown::add);
            }
        }
        lookUpHeld(unknown);
        List<SourceVersion> found = new ArrayList<>();
        Map<String, List<String>> toFetch = new LinkedHashMap<>();
        for (String key : unknown) {
            if (held.containsKey(key)) {
                continue;
            }
            String type = key.substring(0, key.indexOf('/'));
            if (!types.contains(type)) {
                unavailable.put(key, "it refers to " + key + ", a type this sync does not take (types: " + String.join(", ", types) + ")");
            } else if (fetched >= MAXIMUM_FETCHED) {
                unavailable.put(key, "it refers to " + key + ", beyond the " + MAXIMUM_FETCHED + " resources a run reads besides the history");
            } else {
                toFetch.computeIfAbsent(type, t -> new ArrayList<>()).add(key.substring(key.indexOf('/') + 1));
            }
        }
        for (Map.Entry<String, List<String>> ofType : toFetch.entrySet()) {
            List<SourceVersion> current = source.current(ofType.getKey(), ofType.getValue());
            Set<String> got = new HashSet<>();
            for (SourceVersion version : current) {
                if (!versions.containsKey(version.key()) && got.add(version.key())) {
                    found.add(version);
                    fetched++;
                }
            }
            ofType.getValue().stream().map(id -> ofType.getKey() + "/" + id).filter(key -> !got.contains(key))
                    .forEach(key -> unavailable.put(key, "it refers to " + key + ", which the source does not hold"));
        }
        return found;
    }

    private void lookUpHeld(Collection<String> keys) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (String key : keys) {
            if (lookedUp.add(key)) {
                byType.computeIfAbsent(key.substring(0, key.indexOf('/')), t -> new ArrayList<>()).add(key.substring(key.indexOf('/') + 1));
            }
        }
        for (Map.Entry<String, List<String>> ofType : byType.entrySet()) {
            Map<String, String> keyByLocalId = new HashMap<>();
            ofType.getValue().forEach(id -> keyByLocalId.put(LocalIds.localId(sourceId, id), ofType.getKey() + "/" + id));
            local.copies(ofType.getKey(), keyByLocalId.keySet()).forEach((localId, metaSource) -> {
                String key = keyByLocalId.get(localId);
                if (key != null) {
                    String remoteId = key.substring(key.indexOf('/') + 1);
                    held.put(key, metaSource.flatMap(uri -> SourceToLocalMapper.sourceVersionOf(uri, ofType.getKey(), remoteId)));
                }
            });
        }
    }

    // ---- the local form of each write, and rejections that follow from others

    /** Maps every resource to write; a resource whose reference cannot be resolved is rejected, and so are its referrers. */
    private void mapWrites() {
        boolean rejectedMore = true;
        while (rejectedMore) {
            rejectedMore = false;
            mapped.clear();
            for (SourceVersion version : versions.values()) {
                Decision decision = decisions.get(version.key());
                if (decision.kind() != Kind.CREATE && decision.kind() != Kind.UPDATE) {
                    continue;
                }
                Mapped result = mapper.toLocal(version, this::resolve);
                if (result.ok()) {
                    mapped.put(version.key(), result);
                } else {
                    decisions.put(version.key(), new Decision(Kind.REJECTED, null, result.unresolved()));
                    rejectedMore = true;
                }
            }
        }
    }

    private Resolution resolve(Target target) {
        String localReference = target.type() + "/" + LocalIds.localId(sourceId, target.id());
        Decision decision = decisions.get(target.key());
        if (decision == null) {
            String why = unavailable.get(target.key());
            return why == null ? new Resolution.Local(localReference) : new Resolution.Unresolved(why);
        }
        return switch (decision.kind()) {
            case LINKED -> new Resolution.Local(target.type() + "/" + decision.linkedTo());
            case REJECTED -> held.containsKey(target.key())
                    ? new Resolution.Local(localReference) // the copy held stays, at its older version
                    : new Resolution.Unresolved("it refers to " + target.key() + ", which is rejected: " + decision.reason());
            default -> new Resolution.Local(localReference);
        };
    }

    // ---- order

    private List<List<Unit>> transactions() {
        Map<String, Write> writesByReference = new LinkedHashMap<>();
        List<Write> deletions = new ArrayList<>();
        for (SourceVersion version : versions.values()) {
            Decision decision = decisions.get(version.key());
            String localId = LocalIds.localId(sourceId, version.id());
            if (decision.kind() == Kind.DELETE) {
                deletions.add(new Write(Action.DELETE, version.type(), version.id(), localId, null, List.of()));
            } else if (decision.kind() == Kind.CREATE || decision.kind() == Kind.UPDATE) {
                Mapped result = mapped.get(version.key());
                Write write = new Write(decision.kind() == Kind.CREATE ? Action.CREATE : Action.UPDATE, version.type(),
                        version.id(), localId, result.resource(), result.localReferences());
                writesByReference.put(write.localReference(), write);
            }
        }
        List<Unit> units = new ArrayList<>(new ReferenceOrder(writesByReference).units());
        deletions.forEach(deletion -> units.add(new Unit(List.of(deletion))));

        List<List<Unit>> transactions = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int size = 0;
        for (Unit unit : units) {
            if (!current.isEmpty() && size + unit.writes().size() > transactionSize) {
                transactions.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(unit);
            size += unit.writes().size();
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    private List<Rejection> rejections() {
        List<Rejection> rejected = new ArrayList<>();
        for (SourceVersion version : versions.values()) {
            Decision decision = decisions.get(version.key());
            if (decision.kind() == Kind.REJECTED) {
                rejected.add(new Rejection(version.type(), version.id(), LocalIds.localId(sourceId, version.id()), decision.reason()));
            }
        }
        return rejected;
    }

    private int count(Kind kind) {
        return (int) versions.keySet().stream().filter(key -> decisions.get(key).kind() == kind).count();
    }
}
