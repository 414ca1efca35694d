package cnnkit.bench;

import cnnkit.train.AtomicFile;
import cnnkit.train.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
            sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(Json.quote(e.getKey())).append(": ").append(Json.quote(e.getValue()));
        }
        sb.append(notes.isEmpty() ? "},\n" : "\n  },\n").append("  \"figures\": [");
        for (int k = 0; k < figures.size(); k++) {
            Figure f = figures.get(k);
            sb.append(k == 0 ? "\n" : ",\n").append("    {\"name\": ").append(Json.quote(f.name())).append(", \"value\": ")
                    .append(Double.isFinite(f.value()) ? Figure.format(f.value()) : "null")
                    .append(", \"unit\": ").append(Json.quote(f.unit())).append('}');
        }
        sb.append(figures.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    /** Writes the figures as JSON through the kit's one atomic-write path (directories are created). */
    void writeJson(Path file) {
        byte[] bytes = json().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
