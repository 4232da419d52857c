package jp.nanbyo.fhir.server.referral;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jp.nanbyo.fhir.server.directory.DirectoryGeneration;
import jp.nanbyo.fhir.server.referral.ReferralOutboxInterceptor.PartnerEndpoint;

/**
 * The partner Endpoints of each Task owner, remembered while the directory does not change. Worked out for every new
 * referral (the owner read, then a search of its active Endpoints), they cost 7 % of the server's CPU at 35 referrals a
 * second, and an owner's type and Endpoints change a few times a year. {@link DirectoryGeneration} counts every change
 * of an Organization or Endpoint in the database, on whichever node it is written, so a referral asks one number
 * instead; a transaction that is itself changing the directory works them out afresh.
 */
final class PartnerEndpointsMemory {

    /** Owners held at most (Task owners are organizations of the directory, so this is only a guard). */
    static final int OWNERS_HELD = 10_000;

    private record Known(long generation, List<PartnerEndpoint> endpoints) {
    }

    private final DirectoryGeneration generation;
    private final Map<String, Known> byOwner = new ConcurrentHashMap<>();

    PartnerEndpointsMemory(DirectoryGeneration generation) {
        this.generation = generation;
    }

    /** The owner's partner Endpoints, as {@code workOut} finds them in the directory now or found them since its last change. */
    List<PartnerEndpoint> of(String owner, Function<String, List<PartnerEndpoint>> workOut) {
        if (owner == null || generation.changingInThisTransaction()) {
            return workOut.apply(owner);
        }
        // The count first: a change committed after it is then at worst remembered under the older count, and read again.
        long now = generation.current();
        Known known = byOwner.get(owner);
        if (known != null && known.generation() == now) {
            return known.endpoints();
        }
        List<PartnerEndpoint> endpoints = List.copyOf(workOut.apply(owner));
        if (byOwner.size() >= OWNERS_HELD) {
            byOwner.clear();
        }
        byOwner.put(owner, new Known(now, endpoints));
        return endpoints;
    }
}
