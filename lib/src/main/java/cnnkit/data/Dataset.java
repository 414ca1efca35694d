package cnnkit.data;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labelled images: N samples of shape (C, H, W) with integer labels 0..numClasses-1.
 *
 * <p>Memory: pixels stay compact (unsigned bytes for MNIST, CIFAR-10 and PNGs, floats otherwise) and
 * a double {@code (B, C, H, W)} tensor is built only when a batch is asked for. Scaling and
 * normalisation are kept as a per-channel {@code value = raw * scale + offset} and applied while a
 * batch is built. {@link #shuffled}, {@link #subset} and {@link #split} return views that share the
 * pixels and only hold their own index and label arrays; {@link #padded} makes new (compact) pixels.
 * A dataset never changes after construction: every transform returns a new one.
 */
public final class Dataset {
    private final String name;
    private final Pixels pixels;
    private final int[] rows;
    private final int[] labels;
    private final int numClasses;

    /**
     * @param pixels row-major (N, C, H, W) values, not copied (do not change them afterwards); a NaN
     *               or an infinity throws, naming its sample and position
     * @param labels N labels in 0..numClasses-1, not copied
     */
    public Dataset(String name, float[] pixels, int[] labels, int[] sampleShape, int numClasses) {
        this(name, checked(name, Pixels.ofFloats(name, pixels, checkShape(name, sampleShape)), pixels.length, labels,
                numClasses), range(labels.length), labels, numClasses);
    }

    private Dataset(String name, Pixels pixels, int[] rows, int[] labels, int numClasses) {
        this.name = name;
        this.pixels = pixels;
        this.rows = rows;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * Builds a dataset from an (N, C, H, W) tensor; the values are copied into floats. A NaN, an
     * infinity or a value beyond the float range (such as 1e39, which would become infinite) throws,
     * naming the sample, its position and the value.
     */
    public static Dataset of(String name, Tensor images, int[] labels, int numClasses) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException(name + ": expected images (N, C, H, W), got " + Shape.str(images.shape()));
        }
        int[] s = images.shape();
        double[] d = images.data();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
            if (Float.isInfinite(f[i]) && Double.isFinite(d[i])) {
                throw new IllegalArgumentException(name + ": " + Pixels.position(new int[] {s[1], s[2], s[3]}, i)
                        + " is " + d[i] + ", beyond the largest float (" + Float.MAX_VALUE
                        + ") that a dataset stores pixels in");
            }
        }
        return new Dataset(name, f, labels.clone(), new int[] {s[1], s[2], s[3]}, numClasses);
    }

    /**
     * Builds a dataset from unsigned bytes (0..255), the way image files store pixels; each value is
     * multiplied by {@code scale} when a batch is built (1/255.0 gives [0, 1]). Nothing is copied.
     *
     * @param pixels row-major (N, C, H, W) bytes
     */
    public static Dataset ofBytes(String name, byte[] pixels, int[] labels, int[] sampleShape, int numClasses,
            double scale) {
        if (!(scale != 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException(name + ": pixel scale must be finite and non-zero, got " + scale);
        }
        Pixels p = checked(name, Pixels.ofBytes(name, pixels, checkShape(name, sampleShape), scale), pixels.length, labels,
                numClasses);
        return new Dataset(name, p, range(labels.length), labels, numClasses);
    }

    private static int[] checkShape(String name, int[] sampleShape) {
        if (sampleShape.length != 3 || Arrays.stream(sampleShape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException(name + ": sample shape must be (C, H, W) with positive sizes, got "
                    + Shape.str(sampleShape));
        }
        return sampleShape;
    }

    private static Pixels checked(String name, Pixels p, int length, int[] labels, int numClasses) {
        long need = (long) p.sampleSize() * labels.length;
        if (need != length) {
            int per = p.sampleSize();
            throw new IllegalArgumentException(name + ": " + (length % per == 0
                    ? length / per + " images of " + Shape.str(p.shape()) + " but " + labels.length
                            + " labels; give exactly one label per image"
                    : length + " pixel values are not a whole number of " + Shape.str(p.shape()) + " images ("
                            + per + " values each); check the sample shape"));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException(name + ": numClasses must be at least 1, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        return p;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    /** (C, H, W). */
    public int[] sampleShape() {
        return pixels.shape();
    }

    public int numClasses() {
        return numClasses;
    }

    public int label(int i) {
        return labels[i];
    }

    public int[] labels() {
        return labels.clone();
    }

    /** How many samples each class has: {@code counts[k]} for k in 0..numClasses-1. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** Sample {@code i} as a (C, H, W) tensor, e.g. to plot it. */
    public Tensor image(int i) {
        return batch(new int[] {i}).x().reshape(sampleShape());
    }

    /** The samples at {@code indices}, as a double (B, C, H, W) tensor and their labels. */
    public Batch batch(int[] indices) {
        int per = pixels.sampleSize();
        double[] x = new double[Math.multiplyExact(indices.length, per)];
        int[] y = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            checkIndex(indices[b]);
            pixels.copySample(rows[indices[b]], x, b * per);
            y[b] = labels[indices[b]];
        }
        int[] s = pixels.shape();
        return new Batch(Tensor.of(x, indices.length, s[0], s[1], s[2]), y);
    }

    /** Every sample as one (N, C, H, W) tensor (for MNIST's 60,000 that is 376 MB of doubles: prefer batches). */
    public Batch all() {
        return batch(range(size()));
    }

    /**
     * Mini-batches in order (seed &lt; 0) or shuffled by {@code new Random(seed)}; the last may be smaller.
     * The list is lazy: each {@code get} (and each step of a for-each loop) builds that one batch, so
     * only one batch of doubles is alive at a time.
     */
    public List<Batch> batches(int batchSize, long seed) {
        int[] order = range(size());
        if (seed >= 0) {
            shuffle(order, new Random(seed));
        }
        return lazyBatches(order, batchSize);
    }

    /** Mini-batches in order; lazy, like {@link #batches(int, long)}. */
    public List<Batch> batches(int batchSize) {
        return batches(batchSize, -1);
    }

    /**
     * Mini-batches in an order drawn from {@code rng}: pass one seeded Random to every epoch to get a
     * new but reproducible order each epoch. Lazy, like {@link #batches(int, long)}.
     */
    public List<Batch> batches(int batchSize, Random rng) {
        int[] order = range(size());
        shuffle(order, rng);
        return lazyBatches(order, batchSize);
    }

    private List<Batch> lazyBatches(int[] order, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(name + ": batch size must be at least 1, got " + batchSize);
        }
        int count = (order.length + batchSize - 1) / batchSize;
        return new AbstractList<>() {
            @Override
            public Batch get(int i) {
                if (i < 0 || i >= count) {
                    throw new IndexOutOfBoundsException(name + ": batch " + i + " of " + count);
                }
                int start = i * batchSize;
                return batch(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize)));
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The same samples in an order drawn from {@code new Random(seed)}; the same seed gives the same order. */
    public Dataset shuffled(long seed) {
        int[] order = range(size());
        shuffle(order, new Random(seed));
        return subset(order);
    }

    /** The first {@code n} samples (shuffle first for a random subset). */
    public Dataset subset(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException(name + ": cannot take " + n + " of " + size() + " samples");
        }
        return subset(range(n));
    }

    /** The samples at {@code indices}, in that order; shares the pixels. */
    public Dataset subset(int[] indices) {
        return view(name, indices);
    }

    private Dataset view(String viewName, int[] indices) {
        int[] r = new int[indices.length];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i]);
            r[i] = rows[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new Dataset(viewName, pixels, r, y, numClasses);
    }

    /**
     * Cuts the dataset into a training part with {@code round(trainFraction * N)} samples and a test
     * part with the rest, after a shuffle by {@code new Random(seed)}. Stratified: the cut is made in
     * each class separately, so both parts keep the class proportions (to within one sample per class).
     * A split that would leave either part empty throws.
     */
    public Split split(double trainFraction, long seed, boolean stratified) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(name + ": train fraction must be in (0, 1), got " + trainFraction);
        }
        Random rng = new Random(seed);
        int[] order = range(size());
        shuffle(order, rng);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        if (stratified) {
            int[] counts = classCounts();
            int[] seen = new int[numClasses];
            for (int i : order) {
                int y = labels[i];
                (seen[y]++ < Math.round(counts[y] * trainFraction) ? train : test).add(i);
            }
        } else {
            long cut = Math.round(size() * trainFraction);
            for (int k = 0; k < order.length; k++) {
                (k < cut ? train : test).add(order[k]);
            }
        }
        if (train.isEmpty() || test.isEmpty()) {
            // An empty part would surface later as an accuracy of NaN or a loop that trains nothing.
            throw new IllegalArgumentException(name + ": splitting " + size() + " samples at " + trainFraction
                    + " leaves the " + (train.isEmpty() ? "training" : "test") + " part empty");
        }
        return new Split(view(name + " train", toArray(train)), view(name + " test", toArray(test)));
    }

    /** Per-channel mean and standard deviation of the values batches would hold. */
    public PixelStats pixelStats() {
        return pixels.stats(rows);
    }

    /** Maps every value v to {@code (v - mean) / std}, the same for all channels. Costs no copy. */
    public Dataset normalised(double mean, double std) {
        int c = sampleShape()[0];
        double[] m = new double[c];
        double[] s = new double[c];
        Arrays.fill(m, mean);
        Arrays.fill(s, std);
        return normalised(m, s);
    }

    /** Maps channel c's values v to {@code (v - mean[c]) / std[c]}. Costs no copy. */
    public Dataset normalised(double[] mean, double[] std) {
        int c = sampleShape()[0];
        if (mean.length != c || std.length != c) {
            throw new IllegalArgumentException(name + ": normalisation needs " + c + " means and stds, got "
                    + mean.length + " and " + std.length);
        }
        for (int k = 0; k < c; k++) {
            if (!(std[k] > 0 && Double.isFinite(std[k]) && Double.isFinite(mean[k]))) {
                throw new IllegalArgumentException(name + ": channel " + k + " needs a finite mean and a std > 0, got mean "
                        + mean[k] + ", std " + std[k]);
            }
        }
        return new Dataset(name, pixels.normalised(name, mean, std), rows, labels, numClasses);
    }

    /** Normalises with statistics computed elsewhere, typically {@code train.pixelStats()}. */
    public Dataset normalised(PixelStats stats) {
        return normalised(stats.mean(), stats.std());
    }

    /**
     * Zero border of {@code p} pixels on every side: (C, H, W) -> (C, H + 2p, W + 2p). LeNet-5 takes
     * MNIST's 28x28 digits as 32x32 ({@code padded(2)}), so strokes can reach the edge of its 5x5
     * windows. Pad before normalising, so that the border matches the black background.
     */
    public Dataset padded(int p) {
        return padded(p, 0.0);
    }

    /** Border of {@code p} pixels holding {@code value} (in the units batches show): (C, H + 2p, W + 2p). */
    public Dataset padded(int p, double value) {
        if (p < 0) {
            throw new IllegalArgumentException(name + ": padding must be >= 0, got " + p);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": padding value must be finite, got " + value);
        }
        return new Dataset(name, pixels.padded(name, rows, p, value), range(size()), labels, numClasses);
    }

    /** One-hot rows: label y becomes a row of k zeros with a 1 at column y; shape (N, k). */
    public static Tensor oneHot(int[] labels, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("oneHot: the number of classes must be at least 1, got " + k);
        }
        double[] d = new double[Math.multiplyExact(labels.length, k)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at index " + i
                        + " is outside 0.." + (k - 1));
            }
            d[i * k + labels[i]] = 1;
        }
        return Tensor.of(d, labels.length, k);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException(name + ": sample " + i + " is outside 0.." + (size() - 1));
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Fisher-Yates, drawing from {@code rng} only, so the order depends on the seed alone. */
    public static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return name + ": " + size() + " samples of " + Shape.str(sampleShape()) + ", " + numClasses + " classes";
    }
}
