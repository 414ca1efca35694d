package cnnkit.train;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers see either the old content or the complete new content,
 * never half a file: the bytes go to a temporary file in the same directory, are flushed to
 * disk, and the temporary file is then renamed over the target.
 *
 * <p>The same directory matters: a rename is only atomic within one file system. If the file
 * system cannot move atomically, a plain replacing move is used instead.
 *
 * <p>This is the kit's one way of writing a file: model files, histories, charts, IDX files and
 * images all go through it. Missing directories are created; a failure throws an
 * {@link UncheckedIOException} whose message names the file and keeps the reason
 * ({@link FileErrors}): "permission denied", "... is not a directory", "no space left on device".
 */
public final class AtomicFile {
    private static final AtomicLong COUNTER = new AtomicLong();

    /** What to write; the stream is buffered and closed by {@link AtomicFile}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} atomically; on any failure the temporary file is removed, the
     * target is left as it was, and an {@link UncheckedIOException} names the file.
     */
    public static void write(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            createDirectories(dir);
            tmp = createTemporary(dir, abs.getFileName().toString());
            try (FileOutputStream file = new FileOutputStream(tmp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                body.writeTo(out);
                out.flush();
                // Without the sync a crash right after the rename could leave an empty file.
                file.getFD().sync();
            }
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw FileErrors.writing(target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original error is the one worth reporting.
                }
            }
        }
    }

    /** The target's directory and its parents; a parent that is a file is named as such. */
    private static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            // createDirectories reports a file in the way only by its path.
            NotDirectoryException notDir = new NotDirectoryException(e.getFile());
            notDir.initCause(e);
            throw notDir;
        }
    }

    /**
     * A new empty file next to the target. Not {@code Files.createTempFile}, which makes the file
     * readable by its owner only: the renamed result would then lose the permissions every other
     * file gets (from the umask), and a model file could not be shared with a class.
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "."
                    + COUNTER.incrementAndGet() + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (AccessDeniedException e) {
                // The directory is what the learner can fix, not the temporary name.
                AccessDeniedException denied = new AccessDeniedException(dir.toString());
                denied.initCause(e);
                throw denied;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
