package cnnkit.check;

import cnnkit.train.Json;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilePermission;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Permission;
import java.security.Permissions;
import java.security.Policy;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PropertyPermission;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The autograder's Java side: runs notebook cells in JShell, in this JVM, with student code shut
 * away from the grader. {@code lib/tools/exercises.py} starts one per submission and sends it one
 * cell at a time; it kills and replaces the process when a cell runs too long or the process dies.
 *
 * <p>Protocol, on this process's standard input and output (which student code cannot reach):
 * the grader sends {@code RUN kind name bytes [forbidden classes, comma-separated]} and then the
 * cell's source (kind: setup, exercise or check); the sandbox answers with JSON lines
 * {@code {"type":"out","text":...}} and one {@code {"type":"done","status":...,"error":...}},
 * status being ok, error or rejected.
 *
 * <p>What keeps student code (the classes compiled from exercise cells, and anything they call)
 * from the grader:
 * <ul>
 * <li>a security manager: REPL classes may read properties and the data folders, nothing else:
 *     no System.exit, no writing or deleting files, no new threads, no setAccessible, no
 *     replacing System.out, no process, no reading this process's real input or output;</li>
 * <li>the constant pool of every class compiled from an exercise cell is read: naming a class the
 *     exercise forbids (the library's own version of what is exercised), cnnkit.check, reflection,
 *     method handles, class loaders or JShell rejects the cell with the reason;</li>
 * <li>an exercise cell may not declare or import a name that would hide something the check cells
 *     use: {@code cnnkit}, {@code java}, any cnnkit class's simple name, anything the setup cells
 *     declared;</li>
 * <li>check results are signed with a token made for each check ({@link Check#print(String)}).</li>
 * </ul>
 */
public final class Sandbox {
    private static final PrintStream CHANNEL = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private static final InputStream REQUESTS = new java.io.BufferedInputStream(new FileInputStream(FileDescriptor.in));
    private static final int OUTPUT_LIMIT = 200_000;
    private static final List<String> DEFAULT_PACKAGES = List.of("java.lang", "java.io", "java.math", "java.net",
            "java.nio.file", "java.util", "java.util.concurrent", "java.util.function", "java.util.prefs",
            "java.util.regex", "java.util.stream");
    private static final Set<String> RESERVED = Set.of("cnnkit", "java", "javax", "jdk", "sun", "com", "org");
    /** Members student code may not call: reflection, class loading, the process. */
    private static final List<String> BANNED_MEMBERS = List.of("java/lang/Class.forName",
            "java/lang/Class.getDeclared", "java/lang/Class.getMethod", "java/lang/Class.getField",
            "java/lang/Class.getConstructor", "java/lang/Class.newInstance", "java/lang/Class.getClassLoader",
            "java/lang/Class.getModule", "java/lang/Thread.getContextClassLoader", "java/lang/Runtime.exec",
            "java/lang/invoke/MethodHandles.lookup", "java/lang/invoke/MethodHandles.privateLookupIn",
            "java/lang/invoke/MethodHandles.publicLookup", "java/lang/invoke/MethodHandles$Lookup.",
            "java/lang/invoke/MethodHandle.invoke");
    private static final List<String> BANNED_PACKAGES = List.of("java/lang/reflect/", "java/lang/invoke/VarHandle",
            "java/lang/ClassLoader", "java/lang/ProcessBuilder", "jdk/jshell/",
            "jdk/internal/", "sun/", "cnnkit/check/");

    /** What JShell compiles a call to a method not defined yet into. */
    private static final String UNRESOLVED = "jdk/jshell/spi/SPIResolutionException";

    private final JShell shell;
    private final Capture capture = new Capture();
    private final Set<String> hidden = new HashSet<>(RESERVED);
    /** Set while an exercise cell compiles: what its classes may not name, and what they did. */
    private List<String> forbidden;
    private final List<String> violations = new ArrayList<>();

    private Sandbox(Path jar) {
        shell = JShell.builder().executionEngine(new Scanning(), Map.of()).out(System.out).err(System.err).build();
        shell.addToClasspath(jar.toString());
        for (String name : classNames(jar)) {
            hidden.add(name);
        }
    }

    public static void main(String[] args) {
        try {
            start(args);
        } catch (Throwable t) { // System.err is the cells' by now: report on the process's own
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            err.println("cnnkit sandbox: " + t);
            t.printStackTrace(err);
            System.exit(2);
        }
    }

    private static void start(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path jar = Path.of(Sandbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (System.getProperty("cnnkit.data") == null) {
            System.setProperty("cnnkit.data", root.resolve("data").toString()); // no search up from the cwd
        }
        Sandbox box = new Sandbox(jar);
        box.capture.install();
        box.eval("Math.abs(-1)", "setup"); // loads the compiler and the execution engine before the guard
        box.capture.drain();
        guard(root, jar);
        box.serve();
    }

    private void serve() throws IOException {
        String header;
        while ((header = readLine()) != null) {
            String[] h = header.trim().split(" ");
            if (h.length < 4 || !h[0].equals("RUN")) {
                reply("done", "error", "bad request: " + header);
                continue;
            }
            byte[] source = REQUESTS.readNBytes(Integer.parseInt(h[3]));
            forbidden = !h[1].equals("exercise") ? null : h.length > 4 ? List.of(h[4].split(",")) : List.of();
            String[] result = runCell(new String(source, StandardCharsets.UTF_8), h[1], h[2]);
            forbidden = null;
            send("{\"type\":\"out\",\"text\":" + Json.quote(capture.drain()) + "}");
            reply("done", result[0], result[1]);
        }
    }

    /** {status, error} of one cell, its snippets run one by one until one fails. */
    private String[] runCell(String source, String kind, String name) {
        StringBuilder code = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            code.append(line.startsWith("%") ? "" : line).append('\n'); // kernel magics such as %jars
        }
        String remaining = code.toString();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String snippet = info.completeness().isComplete() ? info.source() : remaining;
            remaining = info.completeness().isComplete() ? info.remaining() : "";
            violations.clear();
            String[] r = eval(snippet, kind);
            if (r != null) {
                return r;
            }
        }
        return new String[] {"ok", ""};
    }

    private String[] eval(String snippet, String kind) {
        List<SnippetEvent> events = shell.eval(snippet);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) {
                StringBuilder why = new StringBuilder("does not compile:");
                shell.diagnostics(s).forEach(d -> why.append(' ').append(message(d)));
                return new String[] {"error", why.toString()};
            }
            if (kind.equals("exercise")) {
                String refusal = refusal(s);
                if (refusal != null) {
                    shell.drop(s);
                    return new String[] {"rejected", refusal};
                }
            } else if (kind.equals("setup") && s instanceof DeclarationSnippet d) {
                hidden.add(d.name());
            } else if (kind.equals("setup") && s instanceof ImportSnippet i && !i.fullname().endsWith(".*")) {
                hidden.add(i.name());
            }
            if (e.exception() != null) {
                return new String[] {"error", describe(e.exception())};
            }
        }
        return null;
    }

    /** Why an exercise cell's snippet is refused, or null. */
    private String refusal(Snippet s) {
        if (!violations.isEmpty()) {
            return violations.get(0);
        }
        if (s instanceof DeclarationSnippet d && (hidden.contains(d.name()) || !(s instanceof jdk.jshell.MethodSnippet)
                && jdkClass(d.name()) != null)) {
            return "declares '" + d.name() + "', a name the check cells use (the package cnnkit or java, a cnnkit"
                    + " or JDK class, or a setup cell's declaration or import): rename it";
        }
        if (s instanceof ImportSnippet i && !i.isStatic() && !i.fullname().endsWith(".*")
                && (hidden.contains(i.name()) && !i.fullname().startsWith("cnnkit.")
                    || jdkClass(i.name()) != null && !i.fullname().equals(jdkClass(i.name())))) {
            return "imports " + i.fullname() + ", which would hide the " + i.name()
                    + " the check cells use: remove that import";
        }
        return null;
    }

    /**
     * The full name of the class {@code name} of java.lang or of a package JShell imports by
     * default, or null: a student's class, variable or import of that name would replace it in
     * the check cells.
     */
    private static String jdkClass(String name) {
        for (String pkg : DEFAULT_PACKAGES) {
            try {
                return Class.forName(pkg + "." + name, false, ClassLoader.getSystemClassLoader()).getName();
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this package
            }
        }
        return null;
    }

    /** Runs in this JVM, reading the constant pool of each class an exercise cell compiles to. */
    private final class Scanning implements ExecutionControlProvider {
        @Override
        public String name() {
            return "cnnkit-sandbox";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new LocalExecutionControl() {
                @Override
                public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException,
                        EngineTerminationException {
                    if (forbidden != null) {
                        for (ClassBytecodes c : classes) {
                            inspect(BytecodeRefs.read(c.bytecodes()));
                        }
                    }
                    super.load(classes);
                }
            };
        }
    }

    private void inspect(BytecodeRefs refs) {
        for (String f : forbidden) {
            if (!f.isBlank() && (f.trim().endsWith(".*") ? refs.namesPackage(f.trim()) : refs.names(f.trim()))) {
                violations.add("uses " + f.trim() + ", the library's own version of what this exercise asks you to"
                        + " write: this exercise scores zero; write it yourself");
            }
        }
        for (String c : refs.classes) {
            for (String p : BANNED_PACKAGES) {
                if (c.startsWith(p) && !c.equals(UNRESOLVED)) {
                    violations.add("uses " + c.replace('/', '.') + ": exercise code may not use reflection, class"
                            + " loaders, JShell or the grader's classes");
                }
            }
        }
        for (String m : refs.members) {
            for (String b : BANNED_MEMBERS) {
                if (m.startsWith(b)) {
                    violations.add("calls " + m.replace('/', '.') + ": exercise code may not use reflection or"
                            + " start processes");
                }
            }
        }
    }

    // ------------------------------------------------------------------ the guard

    /**
     * Installs the security manager. Classes of the JDK and of cnnkit (loaded by the built-in class
     * loaders) keep every permission; classes JShell compiles from cells get only these, and any
     * call that has a REPL class on its stack is held to them.
     */
    @SuppressWarnings("removal")
    private static void guard(Path root, Path jar) {
        Permissions student = new Permissions();
        student.add(new PropertyPermission("*", "read"));
        for (String data : new String[] {root.resolve("data").toString(), "/usr/share/datasets"}) {
            student.add(new FilePermission(data, "read"));
            student.add(new FilePermission(data + "/-", "read"));
        }
        student.add(new FilePermission(jar.toString(), "read"));
        student.add(new FilePermission(System.getProperty("java.home") + "/-", "read"));
        student.add(new RuntimePermission("accessDeclaredMembers"));
        student.setReadOnly();
        ClassLoader app = ClassLoader.getSystemClassLoader();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        Policy.setPolicy(new Policy() {
            @Override
            public boolean implies(ProtectionDomain domain, Permission permission) {
                ClassLoader l = domain.getClassLoader();
                return l == null || l == app || l == platform || student.implies(permission);
            }
        });
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkAccess(ThreadGroup g) {
                checkPermission(new RuntimePermission("modifyThreadGroup"));
            }

            @Override
            public void checkAccess(Thread t) {
                checkPermission(new RuntimePermission("modifyThread"));
            }
        });
    }

    // ------------------------------------------------------------------ plumbing

    /** System.out and System.err of the cells, collected and sent with each reply. */
    private static final class Capture extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean truncated;

        void install() {
            PrintStream ps = new PrintStream(this, true, StandardCharsets.UTF_8);
            System.setOut(ps);
            System.setErr(ps);
            System.setIn(InputStream.nullInputStream());
        }

        @Override
        public synchronized void write(int b) {
            if (buffer.size() < OUTPUT_LIMIT) {
                buffer.write(b);
            } else {
                truncated = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, OUTPUT_LIMIT - buffer.size());
            buffer.write(b, off, Math.min(room, len));
            truncated |= len > room;
        }

        synchronized String drain() {
            String s = buffer.toString(StandardCharsets.UTF_8) + (truncated ? "\n[output truncated]\n" : "");
            buffer.reset();
            truncated = false;
            return s;
        }
    }

    private static String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = REQUESTS.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static void reply(String type, String status, String error) {
        send("{\"type\":\"" + type + "\",\"status\":\"" + status + "\",\"error\":" + Json.quote(error) + "}");
    }

    private static void send(String line) {
        CHANNEL.println(line);
        CHANNEL.flush();
    }

    private static String message(Diag d) {
        return d.getMessage(null).replace('\n', ' ');
    }

    private static String describe(Exception e) {
        if (e instanceof EvalException ee) {
            String msg = ee.getMessage();
            return "threw " + simple(ee.getExceptionClassName()) + (msg == null ? "" : ": " + msg.split("\n")[0]);
        }
        if (e instanceof UnresolvedReferenceException u) {
            return "uses something not defined yet: " + u.getSnippet().source().split("\n")[0];
        }
        return "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String simple(String className) {
        return className == null ? "an exception" : className.substring(className.lastIndexOf('.') + 1);
    }

    /** Simple names of the cnnkit classes in the jar: a cell declaring one would hide it. */
    private static List<String> classNames(Path jar) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                if (n.startsWith("cnnkit/") && n.endsWith(".class") && !n.contains("$")) {
                    names.add(n.substring(n.lastIndexOf('/') + 1, n.length() - ".class".length()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cnnkit jar " + jar + ": " + e.getMessage(), e);
        }
        return names;
    }
}
