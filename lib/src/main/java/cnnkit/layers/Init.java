package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * Weight initialisers. Each draws from the {@link Random} it is given, so a model built from
 * the same seed starts from the same weights.
 *
 * <p>Layers built without a {@code Random} use {@code new Random(DEFAULT_SEED)}: reproducible,
 * but two such layers of the same shape start equal, so models pass one shared {@code Random}.
 */
public final class Init {
    /** The seed layers use when the caller gives no {@link Random}. */
    public static final long DEFAULT_SEED = 42;

    private Init() {
    }

    /**
     * Returns {@code rng}, or fails naming the layer when it is null: a layer's weights are drawn
     * from the {@link Random} it is given, and there is no sensible default to fall back to silently.
     */
    public static Random requireRng(String layer, Random rng) {
        if (rng == null) {
            throw new IllegalArgumentException(layer + ": the Random for the initial weights is null"
                    + " (pass new Random(seed), or use the constructor without a Random for seed " + DEFAULT_SEED + ")");
        }
        return rng;
    }

    /** He (Kaiming) normal: std = sqrt(2 / fanIn), suited to ReLU networks. */
    public static Tensor heNormal(Random rng, int fanIn, int... shape) {
        return normal(rng, Math.sqrt(2.0 / fanIn), shape);
    }

    /** Xavier (Glorot) normal: std = sqrt(2 / (fanIn + fanOut)), suited to tanh and sigmoid. */
    public static Tensor xavierNormal(Random rng, int fanIn, int fanOut, int... shape) {
        return normal(rng, Math.sqrt(2.0 / (fanIn + fanOut)), shape);
    }

    /** Normal with mean 0 and the given standard deviation. */
    public static Tensor normal(Random rng, double std, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= std;
        }
        return t;
    }
}
