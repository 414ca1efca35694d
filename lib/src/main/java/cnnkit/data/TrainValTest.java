package cnnkit.data;

import cnnkit.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The three sets of an honest experiment: a training set to fit the weights, a validation set to
 * choose settings on, and a test set that is looked at once, at the end.
 *
 * <p>Training and validation images are two disjoint random subsets of the same labelled
 * training set, so the test set plays no part in any choice. All three sets are normalised
 * with the per-channel mean and standard deviation of the training subset alone.
 *
 * <pre>{@code
 * TrainValTest data = TrainValTest.fashionMnistOrCifar10(8_000, 2_000, 1);
 * History h = Trainer.of(model, adam).validation(data.validation()).fit(data.train());
 * Evaluation once = Trainer.evaluate(model, data.test());
 * }</pre>
 *
 * <p>{@link #fashionMnistOrCifar10} reads CIFAR-10 when its binary version is unpacked in
 * {@code data/}{@value #CIFAR_FOLDER}, and Fashion-MNIST otherwise.
 */
public final class TrainValTest {
    /** Where CIFAR-10's binary version goes, inside the kit's data folder. */
    public static final String CIFAR_FOLDER = "cifar-10-batches-bin";
    /** The source name of CIFAR-10 sets. */
    public static final String CIFAR_10 = "CIFAR-10";
    /** The source name of Fashion-MNIST sets. */
    public static final String FASHION_MNIST = "Fashion-MNIST";

    private final String source;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Dataset trainPixels;
    private final List<String> classNames;
    private final PixelStats stats;
    private final int trainPoolSize;
    private final long seed;

    private TrainValTest(String source, Dataset trainPixels, Dataset valPixels, Dataset testPixels,
            List<String> classNames, int trainPoolSize, long seed) {
        this.source = source;
        this.trainPixels = trainPixels;
        this.stats = trainPixels.pixelStats();
        this.train = trainPixels.normalised(stats);
        this.validation = valPixels.normalised(stats);
        this.test = testPixels.normalised(stats);
        this.classNames = List.copyOf(classNames);
        this.trainPoolSize = trainPoolSize;
        this.seed = seed;
    }

    /** Fashion-MNIST (1x28x28), or CIFAR-10 (3x32x32) when {@link #hasCifar10} finds it in the data folder. */
    public static TrainValTest fashionMnistOrCifar10(int trainSize, int valSize, long seed) {
        return fashionMnistOrCifar10(trainSize, valSize, seed, 0);
    }

    /**
     * Like {@link #fashionMnistOrCifar10(int, int, long)}, with images smaller than
     * {@code minSize} x {@code minSize} padded with a border of zeros to that size, before
     * normalising, so that the border matches a black background (VGG's five poolings need 32x32).
     */
    public static TrainValTest fashionMnistOrCifar10(int trainSize, int valSize, long seed, int minSize) {
        return fashionMnistOrCifar10(DataPaths.root(), trainSize, valSize, seed, minSize);
    }

    /** The same, with CIFAR-10 looked for in {@code dataDir} instead of the kit's data folder. */
    public static TrainValTest fashionMnistOrCifar10(Path dataDir, int trainSize, int valSize, long seed,
            int minSize) {
        if (hasCifar10(dataDir)) {
            Path dir = dataDir.resolve(CIFAR_FOLDER);
            return of(CIFAR_10, Cifar10.train(dir), Cifar10.test(dir), Cifar10.CLASS_NAMES, trainSize, valSize,
                    seed, minSize);
        }
        return of(FASHION_MNIST, FashionMnist.train(), FashionMnist.test(), FashionMnist.CLASS_NAMES, trainSize,
                valSize, seed, minSize);
    }

    /** True when {@code dataDir}/{@value #CIFAR_FOLDER} holds CIFAR-10's first training batch. */
    public static boolean hasCifar10(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(CIFAR_FOLDER).resolve("data_batch_1.bin"));
    }

    /**
     * Draws {@code trainSize} training and then {@code valSize} validation images from
     * {@code fullTrain} in an order shuffled by {@code new Random(seed)}, keeps all of
     * {@code fullTest}, pads every image smaller than {@code minSize} (0 for no padding), and
     * normalises all three with the training subset's statistics.
     */
    public static TrainValTest of(String source, Dataset fullTrain, Dataset fullTest, List<String> classNames,
            int trainSize, int valSize, long seed, int minSize) {
        check(source, fullTrain, fullTest, classNames, trainSize, valSize);
        int pad = padding(source, fullTrain.sampleShape(), minSize);
        Dataset order = fullTrain.shuffled(seed);
        Dataset train = order.subset(range(0, trainSize)).named(source + " train");
        Dataset val = order.subset(range(trainSize, trainSize + valSize)).named(source + " validation");
        Dataset test = fullTest.named(source + " test");
        if (pad > 0) {
            train = train.padded(pad);
            val = val.padded(pad);
            test = test.padded(pad);
        }
        return new TrainValTest(source, train, val, test, classNames, fullTrain.size(), seed);
    }

    private static void check(String source, Dataset fullTrain, Dataset fullTest, List<String> classNames,
            int trainSize, int valSize) {
        if (trainSize < 1 || valSize < 1) {
            throw new IllegalArgumentException(source + ": the training and validation sets need at least one image"
                    + " each, got trainSize=" + trainSize + ", valSize=" + valSize);
        }
        if ((long) trainSize + valSize > fullTrain.size()) {
            throw new IllegalArgumentException(source + ": " + trainSize + " training + " + valSize
                    + " validation images are more than the " + fullTrain.size() + " of " + fullTrain.name());
        }
        if (!Arrays.equals(fullTrain.sampleShape(), fullTest.sampleShape())) {
            throw new IllegalArgumentException(source + ": training images are " + Shape.str(fullTrain.sampleShape())
                    + " but test images are " + Shape.str(fullTest.sampleShape()));
        }
        if (fullTrain.numClasses() != fullTest.numClasses() || classNames.size() != fullTrain.numClasses()) {
            throw new IllegalArgumentException(source + ": expected " + fullTrain.numClasses() + " class names for "
                    + fullTrain.numClasses() + " training and " + fullTest.numClasses() + " test classes, got "
                    + classNames.size());
        }
    }

    /** The border that brings (C, H, H) images up to minSize: (minSize - H) / 2, or 0 when they are large enough. */
    private static int padding(String source, int[] shape, int minSize) {
        int h = shape[1];
        if (h >= minSize) {
            return 0;
        }
        if (shape[2] != h || (minSize - h) % 2 != 0) {
            throw new IllegalArgumentException(source + ": cannot pad images of " + Shape.str(shape) + " evenly to "
                    + minSize + "x" + minSize + "; square images with an even difference are needed");
        }
        return (minSize - h) / 2;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** "CIFAR-10" or "Fashion-MNIST" (or the name given to {@link #of}). */
    public String source() {
        return source;
    }

    public boolean isCifar10() {
        return CIFAR_10.equals(source);
    }

    /** The training subset, normalised. */
    public Dataset train() {
        return train;
    }

    /** The validation subset, drawn from the training set, normalised like it. */
    public Dataset validation() {
        return validation;
    }

    /** The whole test set, normalised with the training subset's statistics. */
    public Dataset test() {
        return test;
    }

    /** The training subset before normalising (pixels in [0, 1]), for pictures. */
    public Dataset trainPixels() {
        return trainPixels;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The training subset's per-channel mean and standard deviation, used to normalise all three sets. */
    public PixelStats stats() {
        return stats;
    }

    /** C of the (C, H, W) images. */
    public int channels() {
        return train.sampleShape()[0];
    }

    /** H (= W) of the (C, H, W) images, after any padding. */
    public int imageSize() {
        return train.sampleShape()[1];
    }

    public int numClasses() {
        return train.numClasses();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, images %s, %d classes:%n"
                + "  training   %,6d images, a random subset of the %,d training images (seed %d)%n"
                + "  validation %,6d other images from the same training set%n"
                + "  test       %,6d images, kept for the end%n"
                + "  normalised with the training subset's mean %s and std %s",
                source, Shape.str(train.sampleShape()), numClasses(), train.size(), trainPoolSize, seed,
                validation.size(), test.size(), round(stats.mean()), round(stats.std()));
    }

    private static String round(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", values[i]));
        }
        return sb.append(']').toString();
    }
}
