package cnnkit.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 grey pixels, labels 0..9.
 * The kit ships them gzipped in {@code data/mnist/}; every file's SHA-256 is checked before it is read.
 *
 * <pre>{@code
 * Dataset train = Mnist.train();                         // finds data/mnist from any repo folder
 * Dataset test  = Mnist.test(Path.of("../data/mnist"));  // or name the folder (../data works too)
 * }</pre>
 *
 * Pixels are scaled to [0, 1]; use {@link #load(Path, boolean, double)} with scale 1 for 0..255.
 */
public final class Mnist {
    /** SHA-256 of the committed .gz files (first) and of the raw IDX files (second). */
    static final IdxSet FILES = new IdxSet("MNIST", Map.of(
            IdxSet.TRAIN_IMAGES, new String[] {
                "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
            IdxSet.TRAIN_LABELS, new String[] {
                "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
            IdxSet.TEST_IMAGES, new String[] {
                "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
            IdxSet.TEST_LABELS, new String[] {
                "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"}));

    private Mnist() {
    }

    /** The 60,000 training digits from the kit's data folder, pixels in [0, 1]. */
    public static Dataset train() {
        return train(DataPaths.root());
    }

    /** The 10,000 test digits from the kit's data folder, pixels in [0, 1]. */
    public static Dataset test() {
        return test(DataPaths.root());
    }

    /** Training digits from {@code dir} or {@code dir/mnist}, pixels in [0, 1]. */
    public static Dataset train(Path dir) {
        return load(dir, true, 1 / 255.0);
    }

    /** Test digits from {@code dir} or {@code dir/mnist}, pixels in [0, 1]. */
    public static Dataset test(Path dir) {
        return load(dir, false, 1 / 255.0);
    }

    /**
     * @param dir   folder with the four IDX files (gzipped or raw), or its parent
     * @param train the 60,000 training images, else the 10,000 test images
     * @param scale pixel value = byte * scale
     */
    public static Dataset load(Path dir, boolean train, double scale) {
        Path found = IdxSet.firstWith(FILES, List.of(dir, dir.resolve("mnist")), train);
        if (found == null) {
            throw new MissingDataException("MNIST " + (train ? "training" : "test") + " files ("
                    + (train ? IdxSet.TRAIN_IMAGES : IdxSet.TEST_IMAGES) + ".gz and "
                    + (train ? IdxSet.TRAIN_LABELS : IdxSet.TEST_LABELS) + ".gz) are neither in "
                    + dir.toAbsolutePath().normalize() + " nor in its mnist/ folder; the kit ships them in data/mnist/");
        }
        return FILES.load(found, train, scale);
    }
}
