package cnnkit.check;

import cnnkit.layers.Layer;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Numerical gradient checks: compare a hand-written backward pass with centred differences.
 *
 * <p>For each value v the numerical derivative is {@code (L(v + h) - L(v - h)) / 2h} with
 * {@code h = 1e-5}. Its truncation error shrinks as h^2 and its rounding error grows as
 * eps / h, so in double precision a single entry is good to roughly 1e-10 absolute for a loss of
 * order 1; a correct backward typically shows a relative error between 1e-12 and 1e-9 here.
 *
 * <p>The error of a tensor is measured relative to the tensor's own scale:
 * <pre>
 *   err(a, n) = max_i |a_i - n_i| / max(max_i |a_i|, max_i |n_i|, 1e-8)
 * </pre>
 * where a is the analytic and n the numerical gradient. The worst absolute disagreement is
 * compared with the largest gradient entry, not with each entry's own size: an entry of 1e-9 next
 * to entries of order 1 carries the same absolute rounding noise as the large ones, and dividing
 * by its own size would turn that noise into an "error" of 0.1 or more for a correct backward.
 * The 1e-8 floor keeps an all-zero gradient from dividing by zero. A wrong backward (a missing
 * term, a transposed matrix, a sign) changes the large entries too, so it still shows an error of
 * order 1. Any NaN makes the error NaN, and NaN fails every check.
 *
 * <p>{@link #check(Layer, Tensor, long)} builds the scalar loss {@code L = sum(out * R)} from a
 * fixed random tensor R, so that dL/dOut = R exercises every output with a different weight.
 */
public final class GradCheck {
    /** The finite-difference step. */
    public static final double H = 1e-5;

    private GradCheck() {
    }

    /** Checks dX and every parameter gradient of {@code layer} at input {@code x}. */
    public static GradReport check(Layer layer, Tensor x, long seed) {
        Tensor out = layer.forward(x);
        Tensor r = Tensor.randn(seed, out.shape());
        DoubleSupplier loss = () -> weightedSum(layer.forward(x), r);

        layer.zeroGrad();
        layer.forward(x);
        Tensor dx = layer.backward(r.copy());
        List<GradReport.Entry> entries = new ArrayList<>();
        entries.add(entry("input", dx, numeric(loss, x)));
        for (Param p : layer.params()) {
            Tensor analytic = p.grad().copy();
            entries.add(entry(p.name(), analytic, numeric(loss, p.value())));
        }
        return new GradReport(layer.toString(), entries);
    }

    /**
     * Centred-difference gradient of {@code loss} with respect to every element of {@code wrt},
     * which is perturbed in place and restored.
     */
    public static Tensor numeric(DoubleSupplier loss, Tensor wrt) {
        double[] v = wrt.data();
        Tensor grad = Tensor.zeros(wrt.shape());
        for (int i = 0; i < v.length; i++) {
            double saved = v[i];
            v[i] = saved + H;
            double plus = loss.getAsDouble();
            v[i] = saved - H;
            double minus = loss.getAsDouble();
            v[i] = saved;
            grad.data()[i] = (plus - minus) / (2 * H);
        }
        return grad;
    }

    /** The smallest scale the error is measured against: gradients below it count as zero. */
    public static final double SCALE_FLOOR = 1e-8;

    /**
     * The scale-aware relative error {@code max|a - n| / max(max|a|, max|n|, 1e-8)} of two
     * tensors of the same shape (see the class comment); NaN if either holds a NaN.
     */
    public static double relError(Tensor analytic, Tensor numeric) {
        if (!analytic.sameShape(numeric)) {
            throw new IllegalArgumentException("relError: shapes differ, "
                    + cnnkit.tensor.Shape.str(analytic.shape()) + " vs "
                    + cnnkit.tensor.Shape.str(numeric.shape()));
        }
        double[] a = analytic.data();
        double[] n = numeric.data();
        double diff = 0;
        double scale = SCALE_FLOOR;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(n[i])) {
                return Double.NaN;
            }
            diff = Math.max(diff, Math.abs(a[i] - n[i]));
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(n[i])));
        }
        return diff / scale;
    }

    private static GradReport.Entry entry(String name, Tensor analytic, Tensor numeric) {
        return new GradReport.Entry(name, analytic.shape(), relError(analytic, numeric));
    }

    /**
     * Values that are all at least 0.08 apart, in a seeded random order: a shuffled arange scaled
     * by 0.1 plus noise below 0.01. Max pooling is only differentiable away from ties, and a
     * finite-difference step of 1e-5 never reorders these.
     */
    public static Tensor distinctValues(long seed, int... shape) {
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

    /** The scalar loss sum(out * r), so that dL/dout = r. */
    public static double weightedSum(Tensor out, Tensor r) {
        double s = 0;
        double[] o = out.data();
        double[] w = r.data();
        for (int i = 0; i < o.length; i++) {
            s += o[i] * w[i];
        }
        return s;
    }
}
