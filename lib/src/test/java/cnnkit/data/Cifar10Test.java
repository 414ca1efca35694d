package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path dir;

    /** One record: label, then red plane = r, green plane = g, blue plane = b, plus a marker pixel. */
    static byte[] record(int label, int r, int g, int b) {
        byte[] rec = new byte[3073];
        rec[0] = (byte) label;
        Arrays.fill(rec, 1, 1025, (byte) r);
        Arrays.fill(rec, 1025, 2049, (byte) g);
        Arrays.fill(rec, 2049, 3073, (byte) b);
        rec[1 + 32 + 5] = (byte) 200; // red, row 1, column 5
        return rec;
    }

    static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void readsRecordsAsChannelPlanes() throws IOException {
        Path a = Files.write(dir.resolve("data_batch_1.bin"), concat(record(3, 10, 20, 30), record(9, 255, 0, 51)));
        Path b = Files.write(dir.resolve("data_batch_2.bin"), record(0, 1, 2, 3));
        Dataset d = Cifar10.read("tiny", 1, a, b);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {3, 32, 32}, d.sampleShape());
        assertArrayEquals(new int[] {3, 9, 0}, d.labels());
        double[] x = d.image(0).data();
        assertEquals(10, x[0]);
        assertEquals(200, x[32 + 5]);
        assertEquals(20, x[1024]);
        assertEquals(30, x[2 * 1024 + 1023]);
        assertEquals(1.0, Cifar10.read(a).image(1).data()[0], 1e-12); // default scale 1/255
        assertEquals(0.2, Cifar10.read(a).image(1).data()[2048], 1e-12);
    }

    @Test
    void truncatedFileNamesTheOffsetOfTheCutRecord() throws IOException {
        byte[] two = concat(record(1, 0, 0, 0), record(2, 0, 0, 0));
        Path f = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(two, 3073 + 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 3073"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesTheRecordOffset() throws IOException {
        Path f = Files.write(dir.resolve("bad.bin"), concat(record(1, 0, 0, 0), record(1, 0, 0, 0), record(10, 0, 0, 0)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + 2 * 3073), e.getMessage());
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void missingFolderSaysWhatToGet() {
        MissingDataException e = assertThrows(MissingDataException.class, () -> Cifar10.test(dir));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }
}
