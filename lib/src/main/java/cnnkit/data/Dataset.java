package cnnkit.data;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labelled images: N samples of shape (C, H, W) with integer labels 0..numClasses-1.
 *
 * <p>Pixels are stored as floats to keep the full MNIST compact; {@link #batch} materialises
 * the requested samples as a double (B, C, H, W) tensor only when a batch is needed.
 */
public final class Dataset {
    private final float[] pixels;
    private final int[] labels;
    private final int[] sampleShape;
    private final int numClasses;
    private final String name;

    /**
     * @param pixels row-major (N, C, H, W) values, not copied
     * @param labels N labels in 0..numClasses-1
     */
    public Dataset(String name, float[] pixels, int[] labels, int[] sampleShape, int numClasses) {
        int per = Shape.size(sampleShape);
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException(name + ": sample shape must be (C, H, W), got " + Shape.str(sampleShape));
        }
        if ((long) per * labels.length != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " samples of " + Shape.str(sampleShape)
                    + " need " + ((long) per * labels.length) + " pixels, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (numClasses - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.sampleShape = sampleShape.clone();
        this.numClasses = numClasses;
    }

    /** Builds a dataset from an (N, C, H, W) tensor. */
    public static Dataset of(String name, Tensor images, int[] labels, int numClasses) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException(name + ": expected images (N, C, H, W), got " + Shape.str(images.shape()));
        }
        double[] d = images.data();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        int[] s = images.shape();
        return new Dataset(name, f, labels.clone(), new int[] {s[1], s[2], s[3]}, numClasses);
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    /** (C, H, W). */
    public int[] sampleShape() {
        return sampleShape.clone();
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

    /** Raw access for loaders and transforms in this package. */
    float[] pixels() {
        return pixels;
    }

    /** The samples at {@code indices}, as a double (B, C, H, W) tensor and their labels. */
    public Batch batch(int[] indices) {
        int per = Shape.size(sampleShape);
        double[] x = new double[indices.length * per];
        int[] y = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int src = indices[b] * per;
            for (int k = 0; k < per; k++) {
                x[b * per + k] = pixels[src + k];
            }
            y[b] = labels[indices[b]];
        }
        return new Batch(Tensor.of(x, indices.length, sampleShape[0], sampleShape[1], sampleShape[2]), y);
    }

    /** Every sample as one (N, C, H, W) tensor. */
    public Batch all() {
        return batch(range(size()));
    }

    /** Mini-batches in order (seed < 0) or shuffled by {@code new Random(seed)}; the last may be smaller. */
    public List<Batch> batches(int batchSize, long seed) {
        int[] order = range(size());
        if (seed >= 0) {
            shuffle(order, new Random(seed));
        }
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            out.add(batch(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize))));
        }
        return out;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public String toString() {
        return name + ": " + size() + " samples of " + Shape.str(sampleShape) + ", " + numClasses + " classes";
    }
}
