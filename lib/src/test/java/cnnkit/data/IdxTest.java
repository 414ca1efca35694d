package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** Hand-made IDX bytes, independent of {@link Idx#write}: magic, dims, data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    @Test
    void readsHandMadeRawAndGzipFiles() throws IOException {
        byte[] data = pixels(3 * 2 * 4);
        byte[] raw = idx(0x803, new int[] {3, 2, 4}, data);
        Path a = Files.write(dir.resolve("a-idx3-ubyte"), raw);
        Path b = Files.write(dir.resolve("b.bin"), gzip(raw)); // gzip found by its magic bytes, not its name
        for (Path p : new Path[] {a, b}) {
            IdxArray arr = Idx.read(p, Idx.IMAGES_MAGIC);
            assertArrayEquals(new int[] {3, 2, 4}, arr.dims());
            assertArrayEquals(data, arr.data());
        }
    }

    @Test
    void writeThenReadRoundTrips() {
        IdxArray arr = new IdxArray(new int[] {2, 3, 3}, pixels(18));
        for (String name : new String[] {"x-idx3-ubyte", "x-idx3-ubyte.gz"}) {
            Path f = dir.resolve(name);
            Idx.write(f, arr);
            IdxArray back = Idx.read(f);
            assertArrayEquals(arr.dims(), back.dims());
            assertArrayEquals(arr.data(), back.data());
        }
    }

    @Test
    void writerProducesTheDocumentedLayout() throws IOException {
        Path f = dir.resolve("l-idx1-ubyte");
        Idx.write(f, new IdxArray(new int[] {3}, new byte[] {7, 2, 1}));
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1}, Files.readAllBytes(f));
    }

    @Test
    void loadsImagesAndLabelsAsADataset() throws IOException {
        Path img = Files.write(dir.resolve("img.gz"), gzip(idx(0x803, new int[] {2, 2, 2},
                new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4})));
        Path lab = Files.write(dir.resolve("lab"), idx(0x801, new int[] {2}, new byte[] {9, 4}));
        Dataset d = Idx.load(img, lab, "tiny", 10, 1 / 255.0);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {1, 2, 2}, d.sampleShape());
        assertArrayEquals(new int[] {9, 4}, d.labels());
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4}, d.image(0).data(), 1e-12);
    }

    @Test
    void wrongMagicNamesFileAndOffsetZero() throws IOException {
        Path f = Files.write(dir.resolve("labels-as-images"), idx(0x801, new int[] {2}, new byte[] {1, 2}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
        assertEquals(f, e.file());

        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not idx");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> Idx.read(text));
        assertTrue(e2.getMessage().contains("notes.txt: byte offset 0"), e2.getMessage());
    }

    @Test
    void truncatedRawFileNamesTheOffsetWhereItEnds() throws IOException {
        byte[] full = idx(0x803, new int[] {4, 3, 3}, pixels(36));
        Path f = Files.write(dir.resolve("cut"), Arrays.copyOf(full, 16 + 30));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 46"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path header = Files.write(dir.resolve("cut-header"), Arrays.copyOf(full, 9));
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> Idx.read(header));
        assertTrue(e2.getMessage().contains("byte offset 9"), e2.getMessage());
    }

    @Test
    void truncatedGzipFileIsAnErrorNotAPartialArray() throws IOException {
        byte[] gz = gzip(idx(0x803, new int[] {50, 10, 10}, pixels(5000)));
        Path f = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*byte offset \\d+ of the uncompressed data.*"), e.getMessage());
        // A gzip stream that is complete but holds fewer bytes than the header promises.
        byte[] full = idx(0x803, new int[] {50, 10, 10}, pixels(5000));
        Path g = Files.write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, 1016)));
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> Idx.read(g));
        assertTrue(e2.getMessage().contains("byte offset 1016 of the uncompressed data"), e2.getMessage());
        assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] full = idx(0x801, new int[] {2}, new byte[] {1, 2});
        Path f = Files.write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("byte offset 10"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesItsByteOffset() throws IOException {
        Path img = Files.write(dir.resolve("img"), idx(0x803, new int[] {3, 1, 1}, new byte[] {1, 2, 3}));
        Path lab = Files.write(dir.resolve("lab"), idx(0x801, new int[] {3}, new byte[] {1, 12, 0}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.load(img, lab, "x", 10, 1));
        assertTrue(e.getMessage().contains(lab.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 9"), e.getMessage());
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path img = Files.write(dir.resolve("img"), idx(0x803, new int[] {3, 1, 1}, new byte[] {1, 2, 3}));
        Path lab = Files.write(dir.resolve("lab"), idx(0x801, new int[] {2}, new byte[] {1, 2}));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.load(img, lab, "x", 10, 1));
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains(lab.toString()), e.getMessage());
    }
}
