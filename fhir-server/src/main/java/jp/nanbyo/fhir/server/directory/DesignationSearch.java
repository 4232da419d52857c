package jp.nanbyo.fhir.server.directory;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The "who is designated" search of docs/directory.md (question 1) in the one shape {@link DesignationSearchMemory}
 * answers from memory: a prefecture's designations, optionally by role and by date, with the hospitals and the
 * areas served as includes, paged by {@code _count} and {@code _offset}. Anything else in the request (another
 * parameter, a modifier, an escaped value, a second {@code role}) leaves it to HAPI.
 *
 * @param network the {@code primary-organization.identifier} value, exactly as sent
 * @param roles the {@code role} tokens, any of which may match; empty when not asked
 * @param from {@code date=ge…}: the period reaches this day or later; null when not asked
 * @param to {@code date=le…}: the period begins on or before this day; null when not asked
 */
record DesignationSearch(String network, List<Token> roles, LocalDate from, LocalDate to,
        boolean includeHospitals, boolean includeAreas, int count, int offset) {

    static final String NETWORK = "primary-organization.identifier";
    static final String INCLUDE_HOSPITALS = "OrganizationAffiliation:participating-organization";
    static final String INCLUDE_AREAS = "OrganizationAffiliation:location";
    private static final Set<String> PARAMETERS = Set.of(NETWORK, "role", "date", "_include", "_count", "_offset");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,6}");

    /** A token as {@code system|code}, or a bare {@code code} that matches in any system (system null). */
    record Token(String system, String code) {
    }

    /** The search the parameters ask, or empty when they ask something else. */
    static Optional<DesignationSearch> of(Map<String, String[]> parameters, int defaultCount, int maximumCount) {
        if (!PARAMETERS.containsAll(parameters.keySet()) || anyEscaped(parameters)) {
            return Optional.empty();
        }
        String[] network = parameters.get(NETWORK);
        if (network == null || network.length != 1 || network[0].isEmpty() || network[0].contains(",")) {
            return Optional.empty();
        }
        List<Token> roles = new ArrayList<>();
        String[] role = parameters.getOrDefault("role", new String[0]);
        if (role.length > 1) {
            return Optional.empty();
        }
        for (String value : role.length == 0 ? new String[0] : role[0].split(",", -1)) {
            Optional<Token> token = token(value);
            if (token.isEmpty()) {
                return Optional.empty();
            }
            roles.add(token.get());
        }
        LocalDate from = null;
        LocalDate to = null;
        for (String date : parameters.getOrDefault("date", new String[0])) {
            String prefix = date.length() > 2 ? date.substring(0, 2) : "";
            Optional<LocalDate> day = day(date.substring(prefix.length()));
            boolean known = prefix.equals("ge") || prefix.equals("le");
            boolean repeated = prefix.equals("ge") ? from != null : to != null;
            if (day.isEmpty() || !known || repeated) {
                return Optional.empty();
            }
            if (prefix.equals("ge")) {
                from = day.get();
            } else {
                to = day.get();
            }
        }
        boolean includeHospitals = false;
        boolean includeAreas = false;
        for (String include : parameters.getOrDefault("_include", new String[0])) {
            switch (include) {
                case INCLUDE_HOSPITALS -> includeHospitals = true;
                case INCLUDE_AREAS -> includeAreas = true;
                default -> {
                    return Optional.empty();
                }
            }
        }
        Optional<Integer> count = number(parameters.get("_count"), defaultCount);
        Optional<Integer> offset = number(parameters.get("_offset"), 0);
        if (count.isEmpty() || count.get() < 1 || offset.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DesignationSearch(network[0], List.copyOf(roles), from, to, includeHospitals, includeAreas,
                Math.min(count.get(), maximumCount), offset.get()));
    }

    /** FHIR escapes {@code , | $} with a backslash; such values are rare enough to leave to HAPI. */
    private static boolean anyEscaped(Map<String, String[]> parameters) {
        return parameters.values().stream().flatMap(Arrays::stream).anyMatch(value -> value.contains("\\"));
    }

    private static Optional<Token> token(String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return value.isEmpty() ? Optional.empty() : Optional.of(new Token(null, value));
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        return system.isEmpty() || code.isEmpty() || code.contains("|") ? Optional.empty() : Optional.of(new Token(system, code));
    }

    private static Optional<LocalDate> day(String value) {
        if (!DAY.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException impossibleDay) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> number(String[] values, int absent) {
        if (values == null) {
            return Optional.of(absent);
        }
        return values.length == 1 && NUMBER.matcher(values[0]).matches() ? Optional.of(Integer.parseInt(values[0])) : Optional.empty();
    }
}
