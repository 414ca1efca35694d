package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/** Inputs for tests. */
final class TestInputs {
    private TestInputs() {
    }

    /**
     * Values that are all at least 0.08 apart, in a seeded random order: a shuffled arange scaled
     * by 0.1 plus noise below 0.01. Max pooling is only differentiable away from ties, and a
     * finite-difference step of 1e-5 never reorders these.
     */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.arange(shape);
        double[] d = t.data();
        Random rng = new Random(seed);
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double tmp = d[i];
            d[i] = d[j];
            d[j] = tmp;
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.1 * d[i] - 0.05 * d.length + 0.01 * rng.nextDouble();
        }
        return t;
    }
}
