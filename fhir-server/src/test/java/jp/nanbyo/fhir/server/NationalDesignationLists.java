package jp.nanbyo.fhir.server;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated, national-scale set of designation lists (one CSV per prefecture, 47 in all), for the
 * import benchmark. Deterministic: the same arguments give the same bytes. Hospitals and codes are
 * made up (fee-table digit 1, prefecture prefix right); roles, fields and dates are real ones.
 *
 * <p>Each prefecture has {@link #HOSPITALS_PER_PREFECTURE} hospitals: the first is the hub, the next
 * three are also field-specific hubs, all but the hub are cooperating hospitals.
 */
final class NationalDesignationLists {

    static final int PREFECTURES = 47;
    static final int HOSPITALS_PER_PREFECTURE = 40;
    static final String HEADER = "都道府県コード,医療機関コード,医療機関名,指定区分,専門分野,指定開始日,指定終了日,二次医療圏,郵便番号,所在地,電話番号,備考,基準日";
    private static final String[] FIELDS = {"神経・筋疾患", "免疫疾患", "消化器疾患", "血液疾患", "代謝疾患", "循環器疾患"};

    /** One row of a list, before it is written out. */
    record Row(String prefecture, String code, String name, String role, String field, String start, String end, String phone) {

        String csv(LocalDate referenceDate, boolean first) {
            return String.join(",", prefecture, code, name, role, field, start, end, "",
                    "100-0001", "架空市中央" + code.substring(3) + "番地", phone, "", first ? referenceDate.toString() : "");
        }
    }

    private NationalDesignationLists() {
    }

    /** The first national list: every prefecture's complete current list. */
    static Map<String, List<Row>> initial() {
        Map<String, List<Row>> lists = new LinkedHashMap<>();
        for (int p = 1; p <= PREFECTURES; p++) {
            String prefecture = String.format("%02d", p);
            List<Row> rows = new ArrayList<>();
            for (int h = 1; h <= HOSPITALS_PER_PREFECTURE; h++) {
                String code = code(prefecture, h);
                String name = "ベンチマーク" + prefecture + "県立第" + h + "病院";
                String phone = String.format("0%d-000-%04d", 3 + p % 6, h);
                if (h == 1) {
                    rows.add(new Row(prefecture, code, name, "難病診療連携拠点病院", "", "2025-04-01", "2027-03-31", phone));
                    continue;
                }
                if (h <= 4) {
                    rows.add(new Row(prefecture, code, name, "難病診療分野別拠点病院", FIELDS[(p + h) % FIELDS.length],
                            "2025-04-01", "2027-03-31", phone));
                }
                rows.add(new Row(prefecture, code, name, "難病医療協力病院", "", "2025-07-01", "2027-03-31", phone));
            }
            lists.put(prefecture, rows);
        }
        return lists;
    }

    /**
     * The same lists with every twentieth row changed (5 %), in turn: the hospital renamed, its
     * designation's end moved, the row dropped (its designation is ended), the row replaced by a new hospital.
     */
    static Map<String, List<Row>> withFivePercentChanged(Map<String, List<Row>> lists) {
        Map<String, List<Row>> changed = new LinkedHashMap<>();
        int index = 0;
        int changeKind = 0;
        for (Map.Entry<String, List<Row>> list : lists.entrySet()) {
            List<Row> rows = new ArrayList<>();
            int added = 0;
            for (Row row : list.getValue()) {
                if (index++ % 20 != 19) {
                    rows.add(row);
                    continue;
                }
                switch (changeKind++ % 4) {
                    case 0 -> rows.add(renamed(row));
                    case 1 -> rows.add(new Row(row.prefecture(), row.code(), row.name(), row.role(), row.field(), row.start(),
                            "2026-03-31", row.phone()));
                    case 2 -> { } // dropped from the list
                    default -> rows.add(new Row(row.prefecture(), code(row.prefecture(), 500 + ++added),
                            "ベンチマーク" + row.prefecture() + "新規第" + added + "病院", row.role(), row.field(),
                            "2026-10-01", "2027-03-31", row.phone()));
                }
            }
            // A renamed hospital is renamed on every row that names it.
            changed.put(list.getKey(), rows.stream().map(row -> renamedElsewhere(rows, row)).toList());
        }
        return changed;
    }

    /**
     * The same lists with every hospital replaced by a new one (new code, new name, same roles): as much to create
     * as a first import, and every earlier designation to end.
     */
    static Map<String, List<Row>> withEveryHospitalReplaced(Map<String, List<Row>> lists) {
        Map<String, List<Row>> replaced = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> list : lists.entrySet()) {
            replaced.put(list.getKey(), list.getValue().stream().map(row -> {
                return new Row(row.prefecture(), code(row.prefecture(), 1000 + hospitalNumber(row.code())),
                        row.name().replace("県立第", "県立新第"), row.role(), row.field(), "2026-11-01", row.end(), row.phone());
            }).toList());
        }
        return replaced;
    }

    static int rowCount(Map<String, List<Row>> lists) {
        return lists.values().stream().mapToInt(List::size).sum();
    }

    static long hospitalCount(Map<String, List<Row>> lists) {
        return lists.values().stream().flatMap(List::stream).map(Row::code).distinct().count();
    }

    /** The list as a UTF-8 CSV file with the reference date on its first row. */
    static byte[] csv(List<Row> rows, LocalDate referenceDate) {
        StringBuilder text = new StringBuilder(HEADER).append("\r\n");
        for (int i = 0; i < rows.size(); i++) {
            text.append(rows.get(i).csv(referenceDate, i == 0)).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String code(String prefecture, int hospital) {
        return prefecture + "1" + String.format("%07d", 100_000 + hospital * 13);
    }

    /** The hospital number a {@link #code} was made from. */
    private static int hospitalNumber(String code) {
        return (Integer.parseInt(code.substring(3)) - 100_000) / 13;
    }

    private static Row renamed(Row row) {
        return new Row(row.prefecture(), row.code(), row.name() + "（改称）", row.role(), row.field(), row.start(), row.end(), row.phone());
    }

    private static Row renamedElsewhere(List<Row> rows, Row row) {
        boolean renamed = rows.stream().anyMatch(other -> other.code().equals(row.code()) && other.name().endsWith("（改称）"));
        return renamed && !row.name().endsWith("（改称）") ? renamed(row) : row;
    }
}
