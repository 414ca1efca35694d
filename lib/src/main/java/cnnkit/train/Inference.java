package cnnkit.train;

import cnnkit.data.Batch;
import cnnkit.data.Dataset;
import cnnkit.layers.Layer;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs a model over data in inference mode, a mini-batch at a time: the one loop behind
 * {@link Evaluation} and {@link Prediction}. The batch size bounds memory, never results.
 */
final class Inference {
    /** Samples per forward pass when evaluating or predicting. */
    static final int BATCH_SIZE = 256;

    private Inference() {
    }

    /** Hands every batch of {@code data}, in order, with the model's output (one row per sample) to {@code sink}. */
    static void run(Layer model, Dataset data, int batchSize, BiConsumer<Batch, Tensor> sink) {
        inEvalMode(model, () -> {
            for (int start = 0; start < data.size(); start += batchSize) {
                Batch b = data.batch(range(start, Math.min(data.size(), start + batchSize)));
                sink.accept(b, checkRows(model.forward(b.x()), b.x(), "'" + data.name() + "'"));
            }
            return null;
        });
    }

    /** The model's outputs for images {@code x (N, ...)}, all N rows in one (N, K) tensor. */
    static Tensor outputs(Layer model, Tensor x, int batchSize) {
        int n = x.dim(0);
        int per = n == 0 ? 0 : x.size() / n;
        return inEvalMode(model, () -> {
            double[] all = null;
            int k = 0;
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                int[] shape = x.shape();
                shape[0] = end - start;
                Tensor chunk = Tensor.of(Arrays.copyOfRange(x.data(), start * per, end * per), shape);
                Tensor out = checkRows(model.forward(chunk), chunk, "the images");
                if (all == null) {
                    k = out.dim(1);
                    all = new double[n * k];
                }
                System.arraycopy(out.data(), 0, all, start * k, out.size());
            }
            return Tensor.of(all, n, k);
        });
    }

    /** Runs {@code work} with the model in inference mode, then restores training mode if it was on. */
    static <T> T inEvalMode(Layer model, Supplier<T> work) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return work.get();
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    /** Requires outputs (B, K) for a batch of B samples. */
    private static Tensor checkRows(Tensor out, Tensor in, String what) {
        if (out.rank() != 2 || out.dim(0) != in.dim(0)) {
            throw new IllegalArgumentException("the model returned " + Shape.str(out.shape()) + " for a batch "
                    + Shape.str(in.shape()) + " of " + what + "; expected one row of scores per sample, ("
                    + in.dim(0) + ", K)");
        }
        return out;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
