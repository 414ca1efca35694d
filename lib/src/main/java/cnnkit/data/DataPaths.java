package cnnkit.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the kit's {@code data/} folder (digits.csv, mnist/, the photo), so that code run from the
 * repository root, from {@code lib/} or from {@code notebooks/} loads the same files without
 * spelling out a relative path.
 *
 * <p>Order: the system property {@code cnnkit.data}, the environment variable {@code CNNKIT_DATA},
 * then the first {@code data/} folder holding {@code digits.csv} and {@code mnist/} found in the
 * working directory or any of its parents.
 */
public final class DataPaths {
    public static final String PROPERTY = "cnnkit.data";
    public static final String ENV = "CNNKIT_DATA";

    private DataPaths() {
    }

    /** The data folder, absolute. */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        String from = "system property " + PROPERTY;
        if (configured == null) {
            configured = System.getenv(ENV);
            from = "environment variable " + ENV;
        }
        if (configured != null) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new MissingDataException(from + " points to " + p + ", which is not a directory");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (isDataDir(dir.resolve("data"))) {
                return dir.resolve("data").normalize();
            }
            if (isDataDir(dir)) {
                return dir.normalize();
            }
        }
        throw new MissingDataException("no cnnkit data folder (one holding digits.csv and mnist/) in " + cwd
                + " or its parents; run from inside the cnnkit repository or set " + ENV + " to its data folder");
    }

    /** A file or folder inside the data folder, which must exist. */
    public static Path file(String name) {
        Path p = root().resolve(name);
        if (!Files.exists(p)) {
            throw new MissingDataException(p + " is missing from the data folder; restore it from the repository");
        }
        return p;
    }

    static boolean isDataDir(Path dir) {
        return Files.isRegularFile(dir.resolve("digits.csv")) && Files.isDirectory(dir.resolve("mnist"));
    }
}
