package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnkit.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every data reader and writer names the file and keeps the file system's reason. */
class FileProblemsTest {
    @TempDir
    Path dir;

    private static String message(Runnable r) {
        return assertThrows(UncheckedIOException.class, r::run).getMessage();
    }


    @Test
    void aMissingFileSaysNoSuchFile() {
        Path f = dir.resolve("none.csv");
        String reason = f + ": cannot read: no such file";
        assertEquals(reason, message(() -> CsvImages.load(f)));
        assertEquals(reason, message(() -> Idx.read(f)));
        assertEquals(reason, message(() -> Checksums.sha256(f)));
        Path deep = dir.resolve("nodir/none.csv");
        assertEquals(deep + ": cannot read: no such file (the directory " + dir.resolve("nodir") + " does not exist)",
                message(() -> CsvImages.load(deep)));
    }

    @Test
    void aParentThatIsAFileIsNamed() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "x");
        Path f = notes.resolve("a.csv");
        String reason = ": " + notes + " is not a directory (it is a file)";
        assertEquals(f + ": cannot read" + reason, message(() -> CsvImages.load(f)));
        assertEquals(f + ": cannot read" + reason, message(() -> Idx.read(f)));
        assertEquals(f + ": cannot write" + reason, message(() -> Idx.write(f, new IdxArray(new int[] {1}, new byte[1]))));
        assertEquals(f + ": cannot write" + reason, message(() -> Images.writeGray(f, Tensor.zeros(2, 2))));
    }

    @Test
    void aDirectoryIsNotReadAsAMalformedCsv() {
        assertEquals(dir + ": cannot read: is a directory", message(() -> CsvImages.load(dir)));
        assertEquals(dir + ": cannot read: is a directory", message(() -> Idx.read(dir)));
    }

    /** A hard link sees a file rewritten in place, but keeps the old content when a new file is renamed over it. */
    @Test
    void idxAndPngFilesAreReplacedNotOverwrittenInPlace() throws IOException {
        Path idx = dir.resolve("l-idx1-ubyte");
        Idx.write(idx, new IdxArray(new int[] {1}, new byte[] {5}));
        Path idxLink = Files.createLink(dir.resolve("old-idx"), idx);
        Idx.write(idx, new IdxArray(new int[] {2}, new byte[] {6, 7}));
        assertArrayEquals(new byte[] {5}, Idx.read(idxLink).data(), "the old file was truncated and rewritten");
        assertArrayEquals(new byte[] {6, 7}, Idx.read(idx).data());

        Path png = dir.resolve("g.png");
        Images.writeGray(png, Tensor.full(10, 2, 2));
        Path pngLink = Files.createLink(dir.resolve("old.png"), png);
        Images.writeGray(png, Tensor.full(200, 2, 2));
        assertEquals(10, Images.readGray(pngLink).data()[0], "the old image was rewritten in place");
        assertEquals(200, Images.readGray(png).data()[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary file is left");
        }
    }

    @Test
    void gzippedIdxWrittenAtomicallyStillRoundTrips() {
        Path gz = dir.resolve("x-idx3-ubyte.gz");
        byte[] data = new byte[3 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 11);
        }
        Idx.write(gz, new IdxArray(new int[] {3, 4, 5}, data));
        assertArrayEquals(data, Idx.read(gz).data());
        assertArrayEquals(new int[] {3, 4, 5}, Idx.read(gz).dims());
    }
}
