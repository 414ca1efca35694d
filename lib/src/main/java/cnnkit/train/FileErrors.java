package cnnkit.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Messages for file-system errors that keep the reason. Java's exceptions often carry only a path
 * ({@code NoSuchFileException: data/x.csv}), so a bare {@code e.getMessage()} reads "could not
 * read data/x.csv: data/x.csv". Every reader and writer of the kit reports through here instead:
 * <pre>
 *   data/x.csv: cannot read: no such file
 *   data/x.csv: cannot read: no such file (the directory data does not exist)
 *   notes.txt/x.csv: cannot read: notes.txt is not a directory (it is a file)
 *   /etc/m.cnnk: cannot write: permission denied (/etc)
 *   build: cannot read: is a directory
 * </pre>
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** {@code "<file>: cannot read: <reason>"}, with {@code e} as the cause. */
    public static UncheckedIOException reading(Path file, IOException e) {
        return new UncheckedIOException(file + ": cannot read: " + reason(file, e), e);
    }

    /** {@code "<file>: cannot write: <reason>"}, with {@code e} as the cause. */
    public static UncheckedIOException writing(Path file, IOException e) {
        return new UncheckedIOException(file + ": cannot write: " + reason(file, e), e);
    }

    /**
     * The reason in a few words ("no such file", "permission denied", "... is not a directory",
     * "is a directory", "no space left on device"), followed by the path it concerns when that is
     * not {@code file} itself (a parent directory, say).
     */
    public static String reason(Path file, IOException e) {
        Path where = concerned(e);
        if (e instanceof NoSuchFileException || says(e, "No such file")) {
            return "no such file" + missingDirectory(where != null ? where : file);
        }
        if (e instanceof NotDirectoryException || says(e, "Not a directory")) {
            Path notDir = fileAmongParents(where != null ? where : file);
            return notDir != null ? notDir + " is not a directory (it is a file)" : "not a directory" + other(file, where);
        }
        if (e instanceof AccessDeniedException || says(e, "Permission denied")) {
            return "permission denied" + other(file, where);
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return lowerFirst(fse.getReason()) + other(file, where);
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null && e.getMessage().endsWith(")")) {
            // FileOutputStream writes "path (Reason)".
            String m = e.getMessage();
            return lowerFirst(m.substring(m.lastIndexOf('(') + 1, m.length() - 1));
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : lowerFirst(m);
    }

    private static boolean says(IOException e, String words) {
        return e.getMessage() != null && e.getMessage().contains(words);
    }

    private static Path concerned(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return Path.of(fse.getFile());
        }
        return null;
    }

    private static String other(Path file, Path where) {
        if (where == null || where.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            return "";
        }
        return " (" + where + ")";
    }

    /** " (the directory D does not exist)" for the highest missing parent, or "" when the parent exists. */
    private static String missingDirectory(Path file) {
        Path missing = null;
        for (Path p = file.toAbsolutePath().normalize().getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing == null ? "" : " (the directory " + missing + " does not exist)";
    }

    /** {@code path} or the nearest of its parents that exists, if that is not a directory; else null. */
    private static Path fileAmongParents(Path path) {
        for (Path p = path.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
