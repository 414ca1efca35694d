package cnnkit.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The 1,797 handwritten digits of scikit-learn's {@code load_digits}: 8x8 grey images whose pixels
 * count the inked cells of a 4x4 block (0..16), labels 0..9. Shipped as {@code data/digits.csv}
 * (header {@code label,p0..p63}); its SHA-256 is checked before it is read. Small enough that a
 * full training run takes seconds, which makes it the first real data set of the notebooks.
 *
 * <pre>{@code
 * Dataset digits = Digits.load();                  // pixels in [0, 1]
 * Split s = digits.split(0.8, 42, true);           // stratified 80/20
 * }</pre>
 */
public final class Digits {
    public static final String FILE = "digits.csv";
    /** SHA-256 of data/digits.csv. */
    public static final String SHA256 = "d168c7e6f3c50d0eb1a859158aabd051dc9ac54cb9b20bf72ad3c2dfb765e010";

    private Digits() {
    }

    /** From the kit's data folder, pixels divided by 16 so that they lie in [0, 1]. */
    public static Dataset load() {
        return load(DataPaths.root());
    }

    /** From {@code path}: the digits.csv file or a folder holding it; pixels in [0, 1]. */
    public static Dataset load(Path path) {
        return load(path, 1 / 16.0);
    }

    /** From {@code path} (file or folder) with pixel value = count * scale; scale 1 keeps 0..16. */
    public static Dataset load(Path path, double scale) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new MissingDataException(file.toAbsolutePath().normalize() + " is missing; the kit ships it as data/"
                    + FILE);
        }
        Checksums.verify(file, SHA256);
        return CsvImages.reader().header(true).labelColumn("label").numClasses(10).shape(1, 8, 8).scale(scale)
                .name("digits").read(file);
    }
}
