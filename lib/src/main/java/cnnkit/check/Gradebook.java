package cnnkit.check;

import cnnkit.train.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a class's gradebook as CSV: one row per student, one column per exercise and the total.
 * {@code ./kit grade FOLDER} runs it with the rows on standard input, one per line, fields
 * separated by tabs (a tab, newline or backslash inside a field written as {@code \t}, {@code \n},
 * {@code \\}); the first line is the header. The file is written atomically, so a spreadsheet
 * open on the old gradebook never sees half a new one.
 */
public final class Gradebook {
    private Gradebook() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Gradebook OUT.csv < rows (tab-separated, header first)");
            System.exit(2);
        }
        List<List<String>> rows = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            rows.add(fields(line));
        }
        if (rows.isEmpty()) {
            System.err.println("Gradebook: no header line on standard input");
            System.exit(2);
        }
        write(Path.of(args[0]), rows.get(0), rows.subList(1, rows.size()));
    }

    /** Writes {@code header} and {@code rows} to {@code target}, atomically. */
    public static void write(Path target, List<String> header, List<List<String>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new IllegalArgumentException("Gradebook: row " + (i + 1) + " has " + rows.get(i).size()
                        + " fields, the header has " + header.size());
            }
        }
        AtomicFile.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                    .build());
            for (List<String> row : rows) {
                csv.printRecord(row);
            }
            csv.flush();
        });
    }

    /** The fields of one input line, escapes undone. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.add(field.toString());
                field.setLength(0);
            } else if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                field.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
