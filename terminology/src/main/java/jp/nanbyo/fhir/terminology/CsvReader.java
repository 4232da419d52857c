package jp.nanbyo.fhir.terminology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads our reviewed CSV tables (RFC 4180): UTF-8 with or without a byte-order mark, CRLF or LF, fields in double
 * quotes may hold commas, line breaks and doubled quotes. The {@code #} lines at the top are provenance comments,
 * kept as they are; the next line is the header; blank lines are skipped. A row with more or fewer fields than the
 * header is an error naming file and line.
 */
final class CsvReader {

    private CsvReader() {
    }

    static CsvTable read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    static CsvTable parse(String source, String text) {
        String rest = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> provenance = new ArrayList<>();
        int firstLine = 1;
        while (rest.startsWith("#")) {
            int end = rest.indexOf('\n');
            provenance.add(rest.substring(1, end < 0 ? rest.length() : end).strip());
            rest = end < 0 ? "" : rest.substring(end + 1);
            firstLine++;
        }
        List<String> header = null;
        List<CsvTable.Row> rows = new ArrayList<>();
        for (Record record : records(source, rest, firstLine)) {
            List<String> fields = record.fields();
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            if (header == null) {
                header = fields.stream().map(String::trim).toList();
            } else if (fields.size() != header.size()) {
                throw new IllegalArgumentException(source + ":" + record.line() + ": expected " + header.size()
                        + " fields as in the header, found " + fields.size());
            } else {
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), fields.get(i).trim());
                }
                rows.add(new CsvTable.Row(source, record.line(), values));
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(source + ": no header row");
        }
        return new CsvTable(source, provenance, header, rows);
    }

    private record Record(int line, List<String> fields) {
    }

    private static List<Record> records(String source, String text, int firstLine) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = firstLine;
        int recordLine = firstLine;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                    line += c == '\n' ? 1 : 0;
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                records.add(new Record(recordLine, List.copyOf(fields)));
                fields.clear();
                field.setLength(0);
                recordLine = ++line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(source + ":" + recordLine + ": quoted field is never closed");
        }
        if (!field.isEmpty() || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(new Record(recordLine, List.copyOf(fields)));
        }
        return records;
    }
}
