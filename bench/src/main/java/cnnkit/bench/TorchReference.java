package cnnkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bench/torch_reference.py} (PyTorch, float32) on the same workloads, right
 * after cnnkit's own figures, and reads its {@code name: value unit} lines back so the two can
 * be compared in one report. Needs a Python with PyTorch, by default Debian's {@code /usr/bin/python3}
 * with the {@code python3-torch} package.
 */
final class TorchReference {
    static final String SCRIPT = "bench/torch_reference.py";
    private static final Pattern FIGURE = Pattern.compile("^([A-Za-z0-9_]+): (-?[0-9.]+(?:[eE][-+]?[0-9]+)?) (.+)$");
    private static final Pattern NOTE = Pattern.compile("^# ([A-Za-z0-9_]+): (.*)$");

    private TorchReference() {
    }

    /** The script, looked for in the working directory and its parents (the kit may be run from a subfolder). */
    static Path findScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    /**
     * Runs the script with {@code args}, echoing its lines to the report as they arrive; returns its
     * figures, or an empty list (with a note saying why) if it could not run.
     */
    static List<Figure> run(String python, List<String> args, Report report) {
        Path script = findScript();
        if (script == null) {
            report.note("torch", "skipped: " + SCRIPT + " not found from " + Path.of("").toAbsolutePath());
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        List<Figure> figures = new ArrayList<>();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> other = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher f = FIGURE.matcher(line);
                    Matcher n = NOTE.matcher(line);
                    if (f.matches()) {
                        Figure figure = new Figure(f.group(1), Double.parseDouble(f.group(2)), f.group(3));
                        figures.add(figure);
                        report.add(figure.name(), figure.value(), figure.unit());
                    } else if (n.matches()) {
                        report.note("torch_" + n.group(1), n.group(2));
                    } else {
                        other.add(line);
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                String tail = String.join(" | ", other.subList(Math.max(0, other.size() - 3), other.size()));
                report.note("torch", "the reference script failed (exit " + exit + "): " + tail
                        + " (PyTorch comes with Debian's python3-torch package)");
            }
        } catch (IOException e) {
            report.note("torch", "skipped: could not run " + python + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.note("torch", "interrupted");
        }
        return figures;
    }
}
