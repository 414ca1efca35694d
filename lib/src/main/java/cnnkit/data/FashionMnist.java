package cnnkit.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test 28x28 grey images of clothes in 10
 * classes ({@link #CLASS_NAMES}), a drop-in, harder replacement for MNIST. Too big to ship with the
 * kit, so it is read from where it is installed; every file's SHA-256 is checked before it is read.
 *
 * <p>Where it looks, in order: the folder passed in, the system property {@code cnnkit.fashionMnist},
 * the environment variable {@code CNNKIT_FASHION_MNIST}, {@value #SYSTEM_DIR} (where the Debian/Ubuntu
 * package {@code dataset-fashion-mnist} installs it), and {@code data/fashion-mnist/} in the kit.
 * Elsewhere, put the four files {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz} (or their gunzipped forms)
 * in {@code data/fashion-mnist/}.
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String PROPERTY = "cnnkit.fashionMnist";
    public static final String ENV = "CNNKIT_FASHION_MNIST";

    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final IdxSet FILES = new IdxSet("Fashion-MNIST", Map.of(
            IdxSet.TRAIN_IMAGES, new String[] {
                "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
            IdxSet.TRAIN_LABELS, new String[] {
                "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
            IdxSet.TEST_IMAGES, new String[] {
                "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
            IdxSet.TEST_LABELS, new String[] {
                "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"}));

    private FashionMnist() {
    }

    /** The 60,000 training images from the first place that has them, pixels in [0, 1]. */
    public static Dataset train() {
        return load(null, true, 1 / 255.0);
    }

    /** The 10,000 test images from the first place that has them, pixels in [0, 1]. */
    public static Dataset test() {
        return load(null, false, 1 / 255.0);
    }

    /** Training images from {@code dir} (or {@code dir/fashion-mnist}), pixels in [0, 1]. */
    public static Dataset train(Path dir) {
        return load(dir, true, 1 / 255.0);
    }

    /** Test images from {@code dir} (or {@code dir/fashion-mnist}), pixels in [0, 1]. */
    public static Dataset test(Path dir) {
        return load(dir, false, 1 / 255.0);
    }

    /** True when the files of both parts are found in one of the default places. */
    public static boolean isAvailable() {
        return IdxSet.firstWith(FILES, places(null), true) != null
                && IdxSet.firstWith(FILES, places(null), false) != null;
    }

    /**
     * @param dir   a folder to look in first, or null for the default places only
     * @param train the 60,000 training images, else the 10,000 test images
     * @param scale pixel value = byte * scale
     */
    public static Dataset load(Path dir, boolean train, double scale) {
        return loadFrom(places(dir), train, scale);
    }

    /** Loads from the first of {@code places} that has the files; tests call this with their own places. */
    static Dataset loadFrom(List<Path> places, boolean train, double scale) {
        Path found = IdxSet.firstWith(FILES, places, train);
        if (found == null) {
            throw new MissingDataException("Fashion-MNIST " + (train ? "training" : "test") + " files not found in "
                    + places + ". On Debian/Ubuntu run: sudo apt-get install dataset-fashion-mnist (it installs them in "
                    + SYSTEM_DIR + "). Elsewhere put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz in the kit's data/fashion-mnist/ "
                    + "folder, or set " + ENV + " to their folder.");
        }
        return FILES.load(found, train, scale);
    }

    private static List<Path> places(Path dir) {
        List<Path> p = new ArrayList<>();
        if (dir != null) {
            p.add(dir);
            p.add(dir.resolve("fashion-mnist"));
        }
        if (System.getProperty(PROPERTY) != null) {
            p.add(Path.of(System.getProperty(PROPERTY)));
        }
        if (System.getenv(ENV) != null) {
            p.add(Path.of(System.getenv(ENV)));
        }
        p.add(Path.of(SYSTEM_DIR));
        try {
            p.add(DataPaths.root().resolve("fashion-mnist"));
        } catch (MissingDataException e) {
            // Outside the repository there is no kit data folder; the other places still count.
        }
        return p;
    }
}
