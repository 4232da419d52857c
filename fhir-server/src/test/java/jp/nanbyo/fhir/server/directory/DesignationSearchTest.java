package jp.nanbyo.fhir.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.nanbyo.fhir.server.directory.DesignationSearch.Token;
import org.junit.jupiter.api.Test;

/** Which requests the in-memory designation search takes, and what it reads from them; the rest is HAPI's. */
class DesignationSearchTest {

    static final String NETWORK = "http://nanbyo.jp/fhir/sid/prefecture-network|10";
    static final String ROLE = "http://nanbyo.jp/fhir/CodeSystem/nanbyo-designation-role";

    @Test
    void readsTheDocumentedQuestion() {
        DesignationSearch search = of(Map.of(
                DesignationSearch.NETWORK, new String[] {NETWORK},
                "role", new String[] {ROLE + "|hub-hospital," + "cooperating-hospital"},
                "date", new String[] {"le2026-01-31", "ge2026-01-01"},
                "_include", new String[] {DesignationSearch.INCLUDE_AREAS, DesignationSearch.INCLUDE_HOSPITALS},
                "_count", new String[] {"500"},
                "_offset", new String[] {"40"})).orElseThrow();
        assertThat(search.network()).isEqualTo(NETWORK);
        assertThat(search.roles()).containsExactly(new Token(ROLE, "hub-hospital"), new Token(null, "cooperating-hospital"));
        assertThat(search.from()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(search.to()).isEqualTo(LocalDate.of(2026, 1, 31));
        assertThat(search.includeHospitals()).isTrue();
        assertThat(search.includeAreas()).isTrue();
        assertThat(search.count()).as("capped at the server's maximum page size").isEqualTo(200);
        assertThat(search.offset()).isEqualTo(40);
    }

    @Test
    void defaultsWithoutRoleDateIncludeOrPaging() {
        DesignationSearch search = of(Map.of(DesignationSearch.NETWORK, new String[] {NETWORK})).orElseThrow();
        assertThat(search.roles()).isEmpty();
        assertThat(search.from()).isNull();
        assertThat(search.to()).isNull();
        assertThat(search.includeHospitals()).isFalse();
        assertThat(search.count()).isEqualTo(20);
        assertThat(search.offset()).isZero();
    }

    @Test
    void leavesEveryOtherShapeToHapi() {
        List<Map<String, String[]>> others = List.of(
                Map.of(),
                Map.of("role", new String[] {ROLE + "|hub-hospital"}),
                with("active", "true"),
                with("role:not", ROLE + "|hub-hospital"),
                with("role", ROLE + "|"),
                with("role", "|hub-hospital"),
                with("role", ROLE + "|a|b"),
                with("role", "hub\\,hospital"),
                with("date", "2026-01-01"),
                with("date", "gt2026-01-01"),
                with("date", "ge2026-01"),
                with("date", "ge2026-02-30"),
                with("date", "ge2026-01-01T00:00:00Z"),
                with("_include", "OrganizationAffiliation:primary-organization"),
                with("_include:iterate", DesignationSearch.INCLUDE_HOSPITALS),
                with("_count", "0"),
                with("_count", "many"),
                with("_offset", "-1"),
                with("_format", "xml"),
                with("_summary", "count"),
                with("_elements", "period"),
                with("_total", "accurate"),
                Map.of(DesignationSearch.NETWORK, new String[] {NETWORK + "," + NETWORK}),
                Map.of(DesignationSearch.NETWORK, new String[] {NETWORK, NETWORK}),
                Map.of(DesignationSearch.NETWORK, new String[] {NETWORK}, "role", new String[] {"hub-hospital", "cooperating-hospital"}),
                Map.of(DesignationSearch.NETWORK, new String[] {NETWORK}, "date", new String[] {"ge2026-01-01", "ge2026-02-01"}));
        for (Map<String, String[]> parameters : others) {
            assertThat(of(parameters)).as(parameters.keySet() + " " + parameters.values().stream().map(List::of).toList()).isEmpty();
        }
    }

    private static Optional<DesignationSearch> of(Map<String, String[]> parameters) {
        return DesignationSearch.of(parameters, 20, 200);
    }

    private static Map<String, String[]> with(String name, String value) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        parameters.put(DesignationSearch.NETWORK, new String[] {NETWORK});
        parameters.put(name, new String[] {value});
        return parameters;
    }
}
