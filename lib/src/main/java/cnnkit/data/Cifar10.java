package cnnkit.data;

import cnnkit.train.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reader for CIFAR-10's binary batches ("CIFAR-10 binary version"): 60,000 32x32 colour images in 10
 * classes ({@link #CLASS_NAMES}). Not shipped with the kit (163 MB); for learners who have the files.
 *
 * <p>Each record is {@value #RECORD_BYTES} bytes: 1 label byte (0..9), then 3,072 pixel bytes, the
 * 1,024 red values of the 32x32 image row by row, then the 1,024 green, then the 1,024 blue; this is
 * already (C, H, W) order. A batch file is a run of such records ({@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} with 10,000 each for training, {@code test_batch.bin} for testing).
 *
 * <pre>{@code
 * Dataset train = Cifar10.train(Path.of("/data/cifar-10-batches-bin"));  // (3, 32, 32), [0, 1]
 * }</pre>
 */
public final class Cifar10 {
    public static final int RECORD_BYTES = 1 + 3 * 32 * 32;
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private Cifar10() {
    }

    /** data_batch_1.bin .. data_batch_5.bin from {@code dir}: 50,000 images, pixels in [0, 1]. */
    public static Dataset train(Path dir) {
        Path[] files = new Path[5];
        for (int i = 0; i < 5; i++) {
            files[i] = dir.resolve("data_batch_" + (i + 1) + ".bin");
        }
        return read("CIFAR-10 train", 1 / 255.0, files);
    }

    /** test_batch.bin from {@code dir}: 10,000 images, pixels in [0, 1]. */
    public static Dataset test(Path dir) {
        return read("CIFAR-10 test", 1 / 255.0, dir.resolve("test_batch.bin"));
    }

    /** The records of all {@code files}, in order, pixels in [0, 1]. */
    public static Dataset read(Path... files) {
        return read("CIFAR-10", 1 / 255.0, files);
    }

    /**
     * The records of all {@code files}, in order, as (3, 32, 32) samples with value = byte * scale.
     * Every file is checked (whole records, labels 0..9) before the dataset is built.
     */
    public static Dataset read(String name, double scale, Path... files) {
        long total = 0;
        for (Path f : files) {
            total += recordsIn(f);
        }
        if (total * (RECORD_BYTES - 1) > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(name + ": " + total + " records are more than one Java array holds");
        }
        byte[] pixels = new byte[(int) total * (RECORD_BYTES - 1)];
        int[] labels = new int[(int) total];
        int n = 0;
        for (Path f : files) {
            n = readInto(f, pixels, labels, n);
        }
        return Dataset.ofBytes(name, pixels, labels, new int[] {3, 32, 32}, 10, scale);
    }

    private static long recordsIn(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MissingDataException("CIFAR-10: " + file.toAbsolutePath().normalize() + " is missing; get the "
                    + "binary version (cifar-10-batches-bin: data_batch_1..5.bin, test_batch.bin) and pass its folder");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
        if (size == 0) {
            throw DataFormatException.atByte(file, 0, "file is empty, expected records of " + RECORD_BYTES + " bytes");
        }
        long whole = size / RECORD_BYTES;
        if (size % RECORD_BYTES != 0) {
            throw DataFormatException.atByte(file, whole * RECORD_BYTES, "file is truncated: record " + whole
                    + " starts here but has only " + (size % RECORD_BYTES) + " of its " + RECORD_BYTES + " bytes");
        }
        return whole;
    }

    private static int readInto(Path file, byte[] pixels, int[] labels, int start) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileErrors.reading(file, e);
        }
        int records = bytes.length / RECORD_BYTES;
        if (bytes.length % RECORD_BYTES != 0 || start + records > labels.length) {
            throw new DataFormatException(file, "whole file", "changed size while it was being read");
        }
        int per = RECORD_BYTES - 1;
        for (int r = 0; r < records; r++) {
            int at = r * RECORD_BYTES;
            int y = bytes[at] & 0xFF;
            if (y >= 10) {
                throw DataFormatException.atByte(file, at, "label " + y + " of record " + r + " is outside 0..9");
            }
            labels[start + r] = y;
            System.arraycopy(bytes, at + 1, pixels, (start + r) * per, per);
        }
        return start + records;
    }
}
