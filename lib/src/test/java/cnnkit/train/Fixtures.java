package cnnkit.train;

import cnnkit.data.Dataset;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.ReLU;
import cnnkit.layers.Sequential;
import cnnkit.tensor.Tensor;
import java.util.Random;

/** Tiny problems and models shared by the training tests. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * Two classes of 1x6x6 noise images told apart by mean brightness: class 0 is darker
     * (mean -0.5), class 1 brighter (mean +0.5), per-pixel noise 0.5. Learnable, not trivial.
     */
    static Dataset brightness(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(2);
            double mean = y[i] == 0 ? -0.5 : 0.5;
            for (int k = 0; k < 36; k++) {
                x[i * 36 + k] = mean + 0.5 * rng.nextGaussian();
            }
        }
        return Dataset.of("brightness", Tensor.of(x, n, 1, 6, 6), y, 2);
    }

    /** Pure noise images with random labels: nothing to learn, only to memorise. */
    static Dataset noise(int n, int classes, long seed) {
        Random rng = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Dataset.of("noise", Tensor.randn(rng, n, 1, 6, 6), y, classes);
    }

    /** conv 3x3 (2 filters) -> ReLU -> flatten -> dense to {@code classes}, weights from {@code seed}. */
    static Sequential model(long seed, int classes) {
        Random rng = new Random(seed);
        return new Sequential(new Conv2D(1, 2, 3, 1, 0, rng), new ReLU(), new Flatten(), new Dense(2 * 4 * 4, classes, rng));
    }
}
