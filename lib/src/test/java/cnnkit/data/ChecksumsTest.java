package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    // The FIPS 180-2 test vector: SHA-256("abc").
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void knownVector() throws IOException {
        Path f = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertEquals(ABC, Checksums.sha256(f));
        assertEquals(ABC, Checksums.sha256("abc".getBytes()));
        assertDoesNotThrow(() -> Checksums.verify(f, ABC.toUpperCase()));
    }

    @Test
    void mismatchNamesFileExpectedAndActual() throws IOException {
        Path f = Files.writeString(dir.resolve("abd.txt"), "abd");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Checksums.verify(f, ABC));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + ABC), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + Checksums.sha256(f)), e.getMessage());
        assertEquals("whole file", e.location());
    }
}
