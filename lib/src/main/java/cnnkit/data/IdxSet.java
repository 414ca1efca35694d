package cnnkit.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The four files of an MNIST-style data set (train/test images and labels) with the SHA-256 of each,
 * gzipped and raw, so that either form is accepted and checked before it is parsed.
 */
final class IdxSet {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final String title;
    /** Base name -> {SHA-256 of name.gz, SHA-256 of the raw file}. */
    private final Map<String, String[]> sha256;

    IdxSet(String title, Map<String, String[]> sha256) {
        this.title = title;
        this.sha256 = sha256;
    }

    /** True when {@code dir} holds the two files of that part, gzipped or raw. */
    boolean present(Path dir, boolean train) {
        return find(dir, train ? TRAIN_IMAGES : TEST_IMAGES) != null
                && find(dir, train ? TRAIN_LABELS : TEST_LABELS) != null;
    }

    /** The first directory of {@code candidates} that holds the part, or null. */
    static Path firstWith(IdxSet set, List<Path> candidates, boolean train) {
        for (Path d : candidates) {
            if (d != null && set.present(d, train)) {
                return d;
            }
        }
        return null;
    }

    /** Checks both files' SHA-256, then parses them; the caller has made sure they exist. */
    Dataset load(Path dir, boolean train, double scale) {
        Path images = verified(dir, train ? TRAIN_IMAGES : TEST_IMAGES);
        Path labels = verified(dir, train ? TRAIN_LABELS : TEST_LABELS);
        return Idx.load(images, labels, title + (train ? " train" : " test"), 10, scale);
    }

    private Path verified(Path dir, String base) {
        Path f = find(dir, base);
        if (f == null) {
            throw new MissingDataException(title + ": " + dir.resolve(base + ".gz") + " is missing");
        }
        String[] h = sha256.get(base);
        Checksums.verify(f, f.getFileName().toString().endsWith(".gz") ? h[0] : h[1]);
        return f;
    }

    private static Path find(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(base);
        return Files.isRegularFile(raw) ? raw : null;
    }
}
