package cnnkit.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source code of cnnkit's own classes, for reading inside a notebook:
 * {@code System.out.println(Source.method(Conv2D.class, "backward"));}.
 *
 * <p>The jar carries every {@code .java} file next to its classes, so what is shown is exactly the
 * code that runs. {@link #of} gives a whole file, {@link #method} one method or constructor (with
 * its Javadoc), found by name among the members of the top-level class.
 */
public final class Source {
    /** A member declaration: modifiers and a return type (or none, for a constructor), the name, "(". */
    private static final Pattern DECLARATION = Pattern.compile(
            "^    (?=\\S)(?:@\\w+\\s+)*(?:(?:public|protected|private|static|final|abstract|synchronized)\\s+)*"
                    + "(?:<[^>]+>\\s+)?(?:[\\w.<>\\[\\], ?]+\\s+)?(\\w+)\\s*\\(");

    /** A name followed by "(", not after a dot: a call of a method of the same class. */
    private static final Pattern CALL = Pattern.compile("(?<![.\\w])(\\w+)\\s*\\(");

    private Source() {
    }

    /** The whole source file of {@code type} (of its top-level class, for a nested one). */
    public static String of(Class<?> type) {
        Class<?> top = topLevel(type);
        String path = top.getName().replace('.', '/') + ".java";
        try (InputStream in = top.getClassLoader() == null ? null : top.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("Source: no source for " + top.getName() + " (expected " + path
                        + " inside the cnnkit jar; only cnnkit's own classes carry their source)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Source: could not read " + path, e);
        }
    }

    /**
     * Every method or constructor of {@code type}'s top-level class called {@code name}, each with
     * its Javadoc and annotations, separated by blank lines. Overloads all come, in file order.
     * The helpers of the same file they call (such as Conv2D's {@code inside}) follow, so that what is
     * shown is one complete unit to read.
     */
    public static String method(Class<?> type, String name) {
        List<String> lines = of(type).lines().toList();
        List<String> found = declarations(lines, name);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("Source: " + topLevel(type).getSimpleName() + " has no method or constructor '"
                    + name + "'; it has: " + String.join(", ", memberNames(lines)));
        }
        Set<String> shown = new LinkedHashSet<>(List.of(name));
        for (int i = 0; i < found.size(); i++) {
            for (String helper : privateHelpersCalled(lines, found.get(i))) {
                if (shown.add(helper)) {
                    found.addAll(declarations(lines, helper));
                }
            }
        }
        return String.join("\n\n", found);
    }

    /** The declarations called {@code name}, each from its Javadoc to its closing brace. */
    private static List<String> declarations(List<String> lines, String name) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = DECLARATION.matcher(lines.get(i));
            if (m.find() && m.group(1).equals(name) && !lines.get(i).trim().startsWith("return ")) {
                found.add(String.join("\n", lines.subList(startWithDocs(lines, i), endOfBody(lines, i) + 1)));
            }
        }
        return found;
    }

    /** The non-public methods of the file (its helpers) that {@code code} calls, in the order of their first call. */
    private static List<String> privateHelpersCalled(List<String> lines, String code) {
        Set<String> privates = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = DECLARATION.matcher(line);
            if (m.find() && !line.trim().startsWith("public ") && !line.trim().startsWith("return ")) {
                privates.add(m.group(1));
            }
        }
        List<String> called = new ArrayList<>();
        Matcher call = CALL.matcher(code);
        while (call.find()) {
            String callee = call.group(1);
            if (privates.contains(callee) && !called.contains(callee)) {
                called.add(callee);
            }
        }
        return called;
    }

    private static Class<?> topLevel(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        return top;
    }

    /** Moves up over the annotations and the Javadoc or comment right above a declaration. */
    private static int startWithDocs(List<String> lines, int declaration) {
        int start = declaration;
        while (start > 0) {
            String above = lines.get(start - 1).trim();
            boolean partOfHeader = above.startsWith("@") || above.startsWith("*") || above.startsWith("/**")
                    || above.startsWith("/*") || above.startsWith("//");
            if (!partOfHeader) {
                break;
            }
            start--;
        }
        return start;
    }

    /**
     * The line with the brace that closes the body opened at or after {@code declaration}, or the
     * line ending the declaration if it has no body (an abstract method). Braces inside string and
     * character literals and comments do not count.
     */
    private static int endOfBody(List<String> lines, int declaration) {
        int depth = 0;
        boolean opened = false;
        boolean inBlockComment = false;
        for (int i = declaration; i < lines.size(); i++) {
            String line = lines.get(i);
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (inBlockComment) {
                    if (ch == '*' && c + 1 < line.length() && line.charAt(c + 1) == '/') {
                        inBlockComment = false;
                        c++;
                    }
                } else if (ch == '/' && c + 1 < line.length() && line.charAt(c + 1) == '/') {
                    break;
                } else if (ch == '/' && c + 1 < line.length() && line.charAt(c + 1) == '*') {
                    inBlockComment = true;
                    c++;
                } else if (ch == '"' || ch == '\'') {
                    c = endOfLiteral(line, c);
                } else if (ch == '{') {
                    depth++;
                    opened = true;
                } else if (ch == '}') {
                    depth--;
                    if (opened && depth == 0) {
                        return i;
                    }
                } else if (ch == ';' && !opened) {
                    return i;
                }
            }
        }
        return lines.size() - 1;
    }

    private static int endOfLiteral(String line, int start) {
        char quote = line.charAt(start);
        for (int c = start + 1; c < line.length(); c++) {
            if (line.charAt(c) == '\\') {
                c++;
            } else if (line.charAt(c) == quote) {
                return c;
            }
        }
        return line.length();
    }

    private static List<String> memberNames(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = DECLARATION.matcher(line);
            if (m.find() && !line.trim().startsWith("return ")) {
                names.add(m.group(1));
            }
        }
        return new ArrayList<>(names);
    }
}
