package jp.nanbyo.fhir.routes.designation;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The columns of a prefecture's designation list, in template order. A header matches a column by
 * its Japanese name or an English alias, after trimming and NFKC normalisation; aliases ignore case
 * and treat {@code _}, space and {@code -} alike.
 */
public enum Column {
    PREFECTURE_CODE("都道府県コード", true, "prefecture_code"),
    MEDICAL_INSTITUTION_CODE("医療機関コード", true, "medical_institution_code"),
    HOSPITAL_NAME("医療機関名", true, "hospital_name", "name"),
    ROLE("指定区分", true, "role", "designation_role"),
    FIELD("専門分野", false, "field", "specialty"),
    START("指定開始日", true, "start", "period_start"),
    END("指定終了日", false, "end", "period_end"),
    SECONDARY_AREA("二次医療圏", false, "secondary_medical_area", "area"),
    POSTAL_CODE("郵便番号", false, "postal_code"),
    ADDRESS("所在地", false, "address"),
    PHONE("電話番号", false, "phone", "telephone"),
    NOTE("備考", false, "note", "remarks"),
    REFERENCE_DATE("基準日", true, "reference_date", "as_of");

    private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-]+");

    private final String header;
    private final boolean required;
    private final List<String> aliases;

    Column(String header, boolean required, String... aliases) {
        this.header = header;
        this.required = required;
        this.aliases = List.of(aliases);
    }

    /** The canonical Japanese header, as in the template. */
    public String header() {
        return header;
    }

    /** English aliases, in {@code snake_case}. */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether the column must be present in the header row. */
    public boolean required() {
        return required;
    }

    /** The column a header cell names, if any. */
    public static Optional<Column> forHeader(String text) {
        String key = key(text);
        return Arrays.stream(values())
                .filter(column -> key(column.header).equals(key)
                        || column.aliases.stream().anyMatch(alias -> key(alias).equals(key)))
                .findFirst();
    }

    /** "都道府県コード (prefecture_code), …", for reasons telling the operator what is accepted. */
    static String acceptedHeaders() {
        return Arrays.stream(values())
                .map(column -> column.header + " (" + String.join(" / ", column.aliases) + ")")
                .collect(Collectors.joining(", "));
    }

    static Stream<Column> requiredColumns() {
        return Arrays.stream(values()).filter(Column::required);
    }

    private static String key(String text) {
        String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        return SEPARATORS.matcher(normalised).replaceAll("_");
    }
}
