package cnnkit.models;

import cnnkit.check.GradCheck;
import cnnkit.layers.Layer;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.optim.SGD;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers for the model tests: spot gradient checks and a few training steps. */
final class ModelTestSupport {
    private ModelTestSupport() {
    }

    /**
     * Compares backward with centred differences on {@code perTensor} randomly chosen elements of
     * the input and of every parameter tensor (a full check of a whole network would take too
     * many forward passes). The loss is sum(out * R) for a fixed random R, as in GradCheck.
     * Returns the largest relative error and the tensor it was found in.
     */
    static String spotCheck(Layer net, Tensor x, long seed, int perTensor, double[] worst) {
        Tensor r = Tensor.randn(seed, net.forward(x).shape());
        net.zeroGrad();
        net.forward(x);
        Tensor dx = net.backward(r.copy());
        Random pick = new Random(seed + 1);
        String where = "";
        worst[0] = 0;
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        names.add("input");
        values.add(x);
        grads.add(dx);
        int i = 0;
        for (Param p : net.params()) {
            names.add(i++ + ":" + p.name() + p.toString().substring(p.name().length()));
            values.add(p.value());
            grads.add(p.grad().copy());
        }
        for (int t = 0; t < values.size(); t++) {
            double err = spot(net, x, r, values.get(t), grads.get(t), perTensor, pick);
            if (!(err <= worst[0])) {
                worst[0] = err;
                where = names.get(t);
            }
        }
        return where;
    }

    private static double spot(Layer net, Tensor x, Tensor r, Tensor value, Tensor grad, int count, Random pick) {
        int n = Math.min(count, value.size());
        double[] analytic = new double[n];
        double[] numeric = new double[n];
        double[] v = value.data();
        for (int k = 0; k < n; k++) {
            int idx = pick.nextInt(value.size());
            double saved = v[idx];
            v[idx] = saved + GradCheck.H;
            double plus = weightedSum(net.forward(x), r);
            v[idx] = saved - GradCheck.H;
            double minus = weightedSum(net.forward(x), r);
            v[idx] = saved;
            numeric[k] = (plus - minus) / (2 * GradCheck.H);
            analytic[k] = grad.data()[idx];
        }
        return GradCheck.relError(Tensor.of(analytic, n), Tensor.of(numeric, n));
    }

    private static double weightedSum(Tensor out, Tensor r) {
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += out.data()[i] * r.data()[i];
        }
        return s;
    }

    /**
     * A learnable toy batch (N, 1, size, size): label 0 bright, 1 dark, 2 horizontal stripes,
     * 3 vertical stripes, each plus Gaussian noise of 0.3. The classes differ in statistics that
     * survive global average pooling, so every architecture can fit them in a few steps.
     */
    static Tensor patterns(int[] labels, int size, long seed) {
        Random rng = new Random(seed);
        Tensor x = Tensor.zeros(labels.length, 1, size, size);
        double[] d = x.data();
        for (int n = 0; n < labels.length; n++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    double v = switch (labels[n] % 4) {
                        case 0 -> 1.0;
                        case 1 -> -1.0;
                        case 2 -> i % 2 == 0 ? 1.0 : -1.0;
                        default -> j % 2 == 0 ? 1.0 : -1.0;
                    };
                    d[(n * size + i) * size + j] = v + 0.3 * rng.nextGaussian();
                }
            }
        }
        return x;
    }

    /** Runs {@code steps} SGD steps on one fixed batch and returns the loss of every step. */
    static double[] train(Model net, Tensor x, int[] labels, int steps, double lr) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        SGD sgd = new SGD(net.params(), lr, 0.9, 0.0);
        double[] history = new double[steps];
        for (int s = 0; s < steps; s++) {
            sgd.zeroGrad();
            history[s] = loss.forward(net.forward(x), labels);
            net.backward(loss.backward());
            sgd.step();
        }
        return history;
    }
}
