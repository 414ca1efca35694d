package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.cnnkit");
        AtomicFile.write(target, out -> out.write(new byte[] {1, 2, 3}));
        AtomicFile.write(target, out -> out.write(new byte[] {4, 5}));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the target is left");
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.cnnkit");
        AtomicFile.write(target, out -> out.write(7));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicFile.write(target, out -> {
                    out.write(8);
                    throw new IOException("disk full");
                }));
        assertEquals(true, e.getMessage().contains("model.cnnkit") && e.getMessage().contains("disk full"), e.getMessage());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aParentThatIsAFileIsNamedInTheMessage() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Path target = notes.resolve("sub/model.cnnkit");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(target, out -> out.write(1)));
        assertEquals(target + ": cannot write: " + notes + " is not a directory (it is a file)", e.getMessage());
    }

    @Test
    void aTargetThatIsADirectoryIsNamedAndNothingIsLeftBehind() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.cnnkit"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(target, out -> out.write(1)));
        assertEquals(true, e.getMessage().startsWith(target + ": cannot write: ") && e.getMessage().contains("directory"),
                e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void aDirectoryWithoutWritePermissionSaysPermissionDenied() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // The super-user may write anyway; then there is nothing to test.
            assumeTrue(!Files.isWritable(locked));
            Path target = locked.resolve("model.cnnkit");
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> AtomicFile.write(target, out -> out.write(1)));
            assertEquals(target + ": cannot write: permission denied (" + locked.toAbsolutePath() + ")", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theFileGetsThePermissionsOfAnyNewFileNotOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path target = dir.resolve("written");
        AtomicFile.write(target, out -> out.write(1));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
    }
}
