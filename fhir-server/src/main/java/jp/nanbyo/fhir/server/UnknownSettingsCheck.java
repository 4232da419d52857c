package jp.nanbyo.fhir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Stops the server at start-up when a setting under {@code nanbyo.} is not one of ours. Spring ignores a key it does
 * not know, so a misspelt one ({@code NANBYO_DATABSE_URL}) would leave the server running on the default, here the
 * embedded database with demo data, while the operator believes it runs on PostgreSQL.
 *
 * <p>Our keys are those of the configuration metadata each module's build generates from its properties records
 * (and {@code additional-spring-configuration-metadata.json} for the keys read one by one); the elements of a list of
 * records take that record's components. Runs before any bean is made, so nothing is written under a wrong setting.
 */
final class UnknownSettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    private static final String PREFIX = "nanbyo.";
    /**
     * Kubernetes gives every pod variables for each service of its namespace ({@code NANBYO_SERVICE_HOST},
     * {@code NANBYO_PORT_8080_TCP_ADDR} for a service named nanbyo): not settings, and no key of ours ends so.
     */
    private static final Pattern SERVICE_LINK = Pattern.compile(
            ".*_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
    private static final Pattern ELEMENT_TYPE = Pattern.compile("java\\.util\\.(?:List|Set|Collection)<(.+)>");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (environment instanceof ConfigurableEnvironment configurable) {
            KnownSettings known = KnownSettings.fromMetadata(UnknownSettingsCheck.class.getClassLoader());
            List<String> unknown = unknownSettings(configurable, known);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("Unknown setting(s) under nanbyo., which the server would ignore: "
                        + String.join("; ", unknown) + " (every setting is listed in docs/configuration.md)");
            }
        }
    }

    /** Each unknown key, with where it was set and the key it most likely meant. */
    static List<String> unknownSettings(ConfigurableEnvironment environment, KnownSettings known) {
        Map<String, String> unknown = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue; // e.g. Spring's view of all the others, which names no keys of its own
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                boolean ours = variables ? name.toUpperCase(Locale.ROOT).startsWith("NANBYO_")
                        : name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
                boolean serviceLink = variables && SERVICE_LINK.matcher(name.toUpperCase(Locale.ROOT)).matches();
                if (ours && !serviceLink && !known.knows(name, variables)) {
                    String guess = known.closest(name).map(key -> ", did you mean " + key + "?").orElse("");
                    unknown.putIfAbsent(name, name + " (" + (variables ? "environment variable" : source.getName()) + ")" + guess);
                }
            }
        }
        return List.copyOf(unknown.values());
    }

    /** The keys the server reads, as patterns that accept the forms Spring binds (kebab, camel or upper snake case). */
    static final class KnownSettings {

        /** Each key as docs/configuration.md writes it, {@code [n]} standing for a list index. */
        private final List<String> keys;
        private final List<Pattern> asProperties;
        private final List<Pattern> asVariables;

        KnownSettings(List<String> keys) {
            this.keys = List.copyOf(keys);
            this.asProperties = keys.stream().map(KnownSettings::propertyPattern).toList();
            this.asVariables = keys.stream().map(KnownSettings::variablePattern).toList();
        }

        static KnownSettings fromMetadata(ClassLoader loader) {
            List<String> keys = new ArrayList<>();
            try {
                for (URL file : Collections.list(loader.getResources(METADATA))) {
                    try (InputStream in = file.openStream()) {
                        for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                            String name = property.path("name").asText();
                            if (name.startsWith(PREFIX)) {
                                keys.addAll(keysOf(name, property.path("type").asText(), loader));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the configuration metadata failed", e);
            }
            return new KnownSettings(keys);
        }

        boolean knows(String name, boolean environmentVariable) {
            String written = environmentVariable ? variableForm(name) : propertyForm(name);
            return (environmentVariable ? asVariables : asProperties).stream().anyMatch(p -> p.matcher(written).matches());
        }

        /** The key nearest in spelling, if near enough to be a typing error. */
        Optional<String> closest(String name) {
            String written = comparable(name);
            return keys.stream()
                    .map(key -> Map.entry(key, distance(written, comparable(key))))
                    .filter(entry -> entry.getValue() <= Math.max(2, written.length() / 8))
                    .min(Comparator.comparingInt(Map.Entry::getValue))
                    .map(Map.Entry::getKey);
        }

        /** A list of records gives one key per component of the record, under {@code [n]}; any other list {@code [n]}. */
        private static List<String> keysOf(String name, String type, ClassLoader loader) {
            Matcher list = ELEMENT_TYPE.matcher(type);
            if (!list.matches()) {
                return List.of(name);
            }
            List<String> keys = new ArrayList<>(List.of(name, name + "[n]"));
            elementRecord(list.group(1), loader).ifPresent(record -> {
                for (RecordComponent component : record.getRecordComponents()) {
                    keys.add(name + "[n]." + kebab(component.getName()));
                    if (component.getGenericType() instanceof ParameterizedType) {
                        keys.add(name + "[n]." + kebab(component.getName()) + "[n]"); // a list inside an element
                    }
                }
            });
            return keys;
        }

        private static Optional<Class<?>> elementRecord(String className, ClassLoader loader) {
            try {
                Class<?> element = Class.forName(className, false, loader);
                return element.isRecord() ? Optional.of(element) : Optional.empty();
            } catch (ClassNotFoundException e) {
                return Optional.empty(); // a plain type such as String
            }
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        }

        /** Spring binds {@code remote-sources}, {@code remoteSources} and {@code remotesources} alike. */
        private static String propertyForm(String name) {
            return name.toLowerCase(Locale.ROOT).replace("-", "").replaceAll("\\[(\\d+)]", ".$1");
        }

        /** {@code NANBYO_DESIGNATIONIMPORT_…} and the older {@code NANBYO_DESIGNATION_IMPORT_…} alike. */
        private static String variableForm(String name) {
            return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        private static Pattern propertyPattern(String key) {
            String[] parts = key.split("\\[n]", -1);
            String regex = Arrays.stream(parts).map(part -> Pattern.quote(propertyForm(part)))
                    .collect(Collectors.joining("\\.\\d+"));
            return Pattern.compile(regex);
        }

        private static Pattern variablePattern(String key) {
            String[] parts = key.split("\\[n]", -1);
            String regex = Arrays.stream(parts)
                    .map(part -> Arrays.stream(part.toUpperCase(Locale.ROOT).split("-", -1))
                            .map(word -> Pattern.quote(word.replace('.', '_'))).collect(Collectors.joining("_?")))
                    .collect(Collectors.joining("_\\d+"));
            return Pattern.compile(regex);
        }

        /** Letters and digits only, indexes as {@code n}: {@code NANBYO_DATABSE_URL} and {@code nanbyo.databse.url} compare alike. */
        private static String comparable(String name) {
            return name.toLowerCase(Locale.ROOT).replace("[n]", "n").replaceAll("[._\\-\\[\\]]+", "").replaceAll("\\d+", "n");
        }

        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }
}
