package cnnkit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects figures, prints each one as soon as it is measured ({@code name: value unit}), and
 * writes them all as JSON at the end. Context (threads, JVM, data used) goes into notes, printed
 * as {@code # key: value} lines so that a script reading figures can skip them.
 */
final class Report {
    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    Report(PrintStream out) {
        this.out = out;
    }

    void note(String key, String value) {
        notes.put(key, value);
        out.println("# " + key + ": " + value);
        out.flush();
    }

    void add(String name, double value, String unit) {
        Figure f = new Figure(name, value, unit);
        figures.add(f);
        out.println(f);
        out.flush();
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** {"notes": {...}, "figures": [{"name": ..., "value": ..., "unit": ...}, ...]}. */
    String json() {
        StringBuilder sb = new StringBuilder("{\n  \"notes\": {");
        int i = 0;
        for (Map.Entry<String, String> e : notes.entrySet()) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
        }
        sb.append(notes.isEmpty() ? "},\n" : "\n  },\n").append("  \"figures\": [");
        for (int k = 0; k < figures.size(); k++) {
            Figure f = figures.get(k);
            sb.append(k == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(f.name())).append(", \"value\": ")
                    .append(Double.isFinite(f.value()) ? Figure.format(f.value()) : "null")
                    .append(", \"unit\": ").append(quote(f.unit())).append('}');
        }
        sb.append(figures.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json(), StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
