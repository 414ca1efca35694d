package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileSaysNoSuchFileAndWhichDirectoryIsMissing() {
        Path f = dir.resolve("x.csv");
        assertEquals(f + ": cannot read: no such file",
                FileErrors.reading(f, new NoSuchFileException(f.toString())).getMessage());
        Path deep = dir.resolve("runs/a/x.csv");
        assertEquals("no such file (the directory " + dir.resolve("runs") + " does not exist)",
                FileErrors.reason(deep, new NoSuchFileException(deep.toString())));
    }

    @Test
    void aParentThatIsAFileIsNamed() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
        Path f = notes.resolve("x.csv");
        assertEquals(notes + " is not a directory (it is a file)",
                FileErrors.reason(f, new FileSystemException(f.toString(), null, "Not a directory")));
    }

    @Test
    void permissionDeniedNamesThePlaceWhenItIsNotTheFile() {
        Path f = dir.resolve("m.cnnk");
        assertEquals(f + ": cannot write: permission denied (" + dir + ")",
                FileErrors.writing(f, new AccessDeniedException(dir.toString())).getMessage());
        assertEquals("permission denied", FileErrors.reason(f, new AccessDeniedException(f.toString())));
        assertEquals("permission denied",
                FileErrors.reason(f, new FileNotFoundException(f + " (Permission denied)")));
    }

    @Test
    void otherReasonsAreKeptInLowerCase() {
        Path f = dir.resolve("m.cnnk");
        assertEquals("no space left on device",
                FileErrors.reason(f, new FileSystemException(f.toString(), null, "No space left on device")));
        assertEquals("is a directory", FileErrors.reason(f, new IOException("Is a directory")));
        assertEquals("disk full", FileErrors.reason(f, new IOException("disk full")));
        assertEquals("IOException", FileErrors.reason(f, new IOException()));
    }
}
