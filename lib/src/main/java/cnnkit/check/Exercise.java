package cnnkit.check;

import cnnkit.layers.BatchNorm2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * The checks behind the exercise notebooks (notebooks/exercises/): each runs the student's
 * function on a hand-computed example and on random cases, compares the answers with the hand
 * values, with cnnkit's own layers and with numerical gradients, and returns an
 * {@link ExerciseResult} (PASS, FAIL or TODO) that the check cell prints.
 *
 * <p>Check cells call these methods by their fully qualified name,
 * {@code cnnkit.check.Exercise.convForward(...)}, so that nothing a student defines can shadow
 * them. Whatever the student's code does, a check never throws: the stub's
 * {@code UnsupportedOperationException("not implemented yet")} gives TODO; any other exception or
 * error, a {@code null}, a wrong shape or a wrong number gives FAIL with a one-line reason.
 * The student's function always gets copies of the inputs, so changing them in place cannot
 * change what its answer is compared with.
 *
 * <p>{@link #check(String, Body)} is the general form, for instructors writing new exercises.
 */
public final class Exercise {
    /** A check passes when every relative error is below this. Correct code gets about 1e-9 or less. */
    public static final double TOLERANCE = 1e-6;

    private Exercise() {
    }

    /** The body of a check: calls the student's code and records comparisons. */
    @FunctionalInterface
    public interface Body {
        void run(Comparisons c) throws Exception;
    }

    /** {@code x (N, C, H, W), w (F, C, k, k), b (F) -> (N, F, H', W')}. */
    @FunctionalInterface
    public interface ConvForward {
        Tensor apply(Tensor x, Tensor w, Tensor b, int stride, int padding);
    }

    /** {@code dOut (N, F, H', W'), x, w -> {dX, dW, db}}. */
    @FunctionalInterface
    public interface ConvBackward {
        Tensor[] apply(Tensor dOut, Tensor x, Tensor w, int stride, int padding);
    }

    /** {@code dOut (N, C, H', W'), x (N, C, H, W) -> dX (N, C, H, W)}. */
    @FunctionalInterface
    public interface MaxPoolBackward {
        Tensor apply(Tensor dOut, Tensor x, int kernel, int stride);
    }

    /** {@code logits (N, K), labels (N) -> dL/dlogits (N, K)} for the mean loss. */
    @FunctionalInterface
    public interface SoftmaxCrossEntropyBackward {
        Tensor apply(Tensor logits, int[] labels);
    }

    /** {@code dOut (N, C, H, W), x (N, C, H, W), gamma (C), eps -> {dX, dGamma, dBeta}}, training mode. */
    @FunctionalInterface
    public interface BatchNormBackward {
        Tensor[] apply(Tensor dOut, Tensor x, Tensor gamma, double eps);
    }

    /** dOut -> dX through {@link #residualForward}, adding the convolutions' parameter gradients. */
    @FunctionalInterface
    public interface ResidualBackward {
        Tensor apply(Tensor dOut, Conv2D conv1, ReLU relu1, Conv2D conv2, ReLU reluOut);
    }

    /**
     * Runs {@code body} and turns whatever happens into a result: TODO for the stub's
     * "not implemented yet", FAIL for any other throwable, otherwise the comparisons' verdict.
     */
    public static ExerciseResult check(String name, Body body) {
        Comparisons c = new Comparisons(TOLERANCE);
        try {
            body.run(c);
        } catch (UnsupportedOperationException e) {
            if (e.getMessage() != null && e.getMessage().contains("not implemented")) {
                return new ExerciseResult(name, ExerciseResult.Status.TODO, Double.NaN, "");
            }
            return new ExerciseResult(name, ExerciseResult.Status.FAIL, Double.NaN, describe(e));
        } catch (WrongAnswer e) {
            return new ExerciseResult(name, ExerciseResult.Status.FAIL, Double.POSITIVE_INFINITY, e.getMessage());
        } catch (Throwable t) {
            if (t.getClass().getName().equals("java.lang.ThreadDeath")) {
                throw (Error) t; // the kernel is interrupting this cell: let it
            }
            return new ExerciseResult(name, ExerciseResult.Status.FAIL, Double.NaN, describe(t));
        }
        return c.result(name);
    }

    // ------------------------------------------------------------------ convolution

    /** Checks a naive convolution forward: the edge-kernel example and random cases vs {@link Conv2D}. */
    public static ExerciseResult convForward(ConvForward f) {
        return check("conv_forward", c -> {
            Tensor x = Tensor.arange(1, 1, 3, 3).add(1.0);
            Tensor edge = Tensor.of(new double[] {1, 0, -1, 1, 0, -1, 1, 0, -1}, 1, 1, 3, 3);
            c.close("out (edge kernel on 1..9, padding 1)", f.apply(x, edge, Tensor.zeros(1), 1, 1),
                    Tensor.of(new double[] {-7, -4, 7, -15, -6, 15, -13, -4, 13}, 1, 1, 3, 3));
            convForwardCase(c, f, 1, new int[] {2, 3, 6, 5}, 4, 3, 2, 1);
            convForwardCase(c, f, 2, new int[] {1, 2, 4, 4}, 3, 2, 1, 0);
        });
    }

    private static void convForwardCase(Comparisons c, ConvForward f, long seed, int[] xShape, int filters,
            int kernel, int stride, int padding) {
        Conv2D conv = randomConv(seed, xShape[1], filters, kernel, stride, padding);
        Tensor x = Tensor.randn(seed + 100, xShape);
        Tensor expected = conv.forward(x);
        Tensor actual = f.apply(x.copy(), conv.weight().value().copy(), conv.bias().value().copy(), stride, padding);
        c.close("out, kernel " + kernel + " stride " + stride + " padding " + padding + " (vs Conv2D)", actual, expected);
    }

    /** Checks dX, dW, db of a convolution: a worked example, then numerical gradients. */
    public static ExerciseResult convBackward(ConvBackward f) {
        return check("conv_backward", c -> {
            Tensor x = Tensor.arange(1, 1, 3, 3).add(1.0);
            Tensor w = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 2, 1, 3, 3);
            Tensor[] g = results(f.apply(Tensor.ones(1, 2, 3, 3), x, w, 1, 1), 3, "convBackward", "{dX, dW, db}");
            String hand = " (1..9, filters of ones and twos, dOut = ones)";
            c.close("dX" + hand, g[0], Tensor.of(new double[] {12, 18, 12, 18, 27, 18, 12, 18, 12}, 1, 1, 3, 3));
            double[] windowSums = {12, 21, 16, 27, 45, 33, 24, 39, 28};
            c.close("dW" + hand, g[1], Tensor.of(concat(windowSums, windowSums), 2, 1, 3, 3));
            c.close("db" + hand, g[2], Tensor.of(new double[] {9, 9}, 2));
            convBackwardCase(c, f, 3, new int[] {2, 2, 5, 4}, 3, 3, 2, 1);
            convBackwardCase(c, f, 4, new int[] {1, 3, 4, 4}, 2, 2, 1, 0);
        });
    }

    private static void convBackwardCase(Comparisons c, ConvBackward f, long seed, int[] xShape, int filters,
            int kernel, int stride, int padding) {
        Conv2D conv = randomConv(seed, xShape[1], filters, kernel, stride, padding);
        Tensor x = Tensor.randn(seed + 100, xShape);
        Tensor r = Tensor.randn(seed + 200, conv.outputShape(xShape));
        DoubleSupplier loss = () -> GradCheck.weightedSum(conv.forward(x), r);
        Tensor[] g = results(f.apply(r.copy(), x.copy(), conv.weight().value().copy(), stride, padding), 3,
                "convBackward", "{dX, dW, db}");
        String where = " (kernel " + kernel + " stride " + stride + " padding " + padding + ", batch " + xShape[0] + ")";
        c.gradient("dX" + where, g[0], loss, x);
        c.gradient("dW" + where, g[1], loss, conv.weight().value());
        c.gradient("db" + where, g[2], loss, conv.bias().value());
    }

    // ------------------------------------------------------------------ max pooling

    /** Checks max-pool backward: the 4x4 example, a tie, and numerical gradients (also with overlapping windows). */
    public static ExerciseResult maxPoolBackward(MaxPoolBackward f) {
        return check("maxpool_backward", c -> {
            Tensor x = Tensor.arange(1, 1, 4, 4).add(1.0);
            Tensor dOut = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
            Tensor expected = Tensor.zeros(1, 1, 4, 4);
            expected.set(1, 0, 0, 1, 1); // 6 wins its window
            expected.set(2, 0, 0, 1, 3); // 8
            expected.set(3, 0, 0, 3, 1); // 14
            expected.set(4, 0, 0, 3, 3); // 16
            c.close("dX (1..16, kernel 2, stride 2)", f.apply(dOut, x, 2, 2), expected);
            c.close("dX (a window of equal values: the first one wins)",
                    f.apply(Tensor.ones(1, 1, 1, 1), Tensor.full(5.0, 1, 1, 2, 2), 2, 2),
                    Tensor.of(new double[] {1, 0, 0, 0}, 1, 1, 2, 2));
            maxPoolCase(c, f, 5, new int[] {2, 2, 5, 5}, 3, 2);
            maxPoolCase(c, f, 6, new int[] {1, 2, 4, 6}, 2, 1);
        });
    }

    private static void maxPoolCase(Comparisons c, MaxPoolBackward f, long seed, int[] xShape, int kernel, int stride) {
        MaxPool2D pool = new MaxPool2D(kernel, stride);
        Tensor x = GradCheck.distinctValues(seed, xShape);
        Tensor r = Tensor.randn(seed + 200, pool.forward(x).shape());
        DoubleSupplier loss = () -> GradCheck.weightedSum(pool.forward(x), r);
        c.gradient("dX (kernel " + kernel + " stride " + stride + ")", f.apply(r.copy(), x.copy(), kernel, stride), loss, x);
    }

    // ------------------------------------------------------------------ softmax cross-entropy

    /** Checks dL/dlogits = (softmax - onehot) / N: exact values (also for huge logits), then numerically. */
    public static ExerciseResult softmaxCrossEntropyBackward(SoftmaxCrossEntropyBackward f) {
        return check("softmax_ce_backward", c -> {
            double ln3 = Math.log(3); // softmax([0, ln 3]) = [1/4, 3/4]
            Tensor logits = Tensor.of(new double[] {0, ln3, 1000, 1000 + ln3}, 2, 2);
            c.close("dlogits (rows [0, ln 3] and [1000, 1000 + ln 3], labels 1 and 0)",
                    f.apply(logits, new int[] {1, 0}), Tensor.of(new double[] {0.125, -0.125, -0.375, 0.375}, 2, 2));
            Tensor z = Tensor.randn(7, 4, 5);
            int[] labels = {0, 3, 4, 1};
            DoubleSupplier loss = () -> new SoftmaxCrossEntropy().forward(z, labels);
            c.gradient("dlogits (4 x 5 random)", f.apply(z.copy(), labels.clone()), loss, z);
        });
    }

    // ------------------------------------------------------------------ batch normalisation

    /** Checks batch-norm backward in training mode: a hand example with eps = 0, then numerically. */
    public static ExerciseResult batchNormBackward(BatchNormBackward f) {
        return check("batchnorm_backward", c -> {
            // channel 0 holds -1, -1, 1, 1 (mean 0, variance 1), channel 1 holds 3, 5, 3, 5 (mean 4, variance 1)
            Tensor x = Tensor.of(new double[] {-1, -1, 3, 5, 1, 1, 3, 5}, 2, 2, 1, 2);
            Tensor dOut = Tensor.of(new double[] {1, 0, 1, 1, 0, 0, 1, 1}, 2, 2, 1, 2);
            Tensor[] g = results(f.apply(dOut, x, Tensor.of(new double[] {2, 1}, 2), 0.0), 3,
                    "batchNormBackward", "{dX, dGamma, dBeta}");
            String hand = " (hand example, eps = 0)";
            c.close("dX" + hand, g[0], Tensor.of(new double[] {1, -1, 0, 0, 0, 0, 0, 0}, 2, 2, 1, 2));
            c.close("dGamma" + hand, g[1], Tensor.of(new double[] {-1, 0}, 2));
            c.close("dBeta" + hand, g[2], Tensor.of(new double[] {1, 4}, 2));
            batchNormCase(c, f, 8, 3, 2, 2, 3);
            batchNormCase(c, f, 9, 4, 3, 1, 1);
        });
    }

    private static void batchNormCase(Comparisons c, BatchNormBackward f, long seed, int n, int channels, int h, int w) {
        double eps = 1e-5;
        BatchNorm2D bn = new BatchNorm2D(channels, eps, 0.1);
        Random rng = new Random(seed);
        fill(bn.gamma().value(), Tensor.randn(rng, channels).add(1.0));
        fill(bn.beta().value(), Tensor.randn(rng, channels));
        Tensor x = Tensor.randn(rng, n, channels, h, w).mul(2.0).add(0.5);
        Tensor r = Tensor.randn(rng, n, channels, h, w);
        DoubleSupplier loss = () -> GradCheck.weightedSum(bn.forward(x), r);
        Tensor[] g = results(f.apply(r.copy(), x.copy(), bn.gamma().value().copy(), eps), 3,
                "batchNormBackward", "{dX, dGamma, dBeta}");
        String where = " (" + n + " x " + channels + " x " + h + " x " + w + ")";
        c.gradient("dX" + where, g[0], loss, x);
        c.gradient("dGamma" + where, g[1], loss, bn.gamma().value());
        c.gradient("dBeta" + where, g[2], loss, bn.beta().value());
    }

    // ------------------------------------------------------------------ residual block

    /** The block of the residual exercise: {@code y = relu(conv2(relu(conv1(x))) + x)}. */
    public static Tensor residualForward(Tensor x, Conv2D conv1, ReLU relu1, Conv2D conv2, ReLU reluOut) {
        Tensor h = relu1.forward(conv1.forward(x));
        return reluOut.forward(conv2.forward(h).add(x));
    }

    /**
     * Checks a residual block's backward: with zero convolutions only the shortcut carries
     * gradient (a hand example); then dX and all four parameter gradients numerically. Also fails
     * a backward that changes the weights.
     */
    public static ExerciseResult residualBackward(ResidualBackward f) {
        return check("residual_backward", c -> {
            residualHandCase(c, f);
            residualCase(c, f, 10, 2, 2, 4, 4);
            residualCase(c, f, 11, 1, 3, 3, 5);
        });
    }

    private static void residualHandCase(Comparisons c, ResidualBackward f) {
        Conv2D conv1 = new Conv2D(1, 1, 3, 1, 1);
        Conv2D conv2 = new Conv2D(1, 1, 3, 1, 1);
        conv1.weight().value().fill(0.0);
        conv2.weight().value().fill(0.0);
        ReLU relu1 = new ReLU();
        ReLU reluOut = new ReLU();
        residualForward(Tensor.of(new double[] {1, -2, 3, -4}, 1, 1, 2, 2), conv1, relu1, conv2, reluOut);
        Tensor dx = f.apply(Tensor.ones(1, 1, 2, 2), conv1, relu1, conv2, reluOut);
        String hand = " (zero convolutions, x = [[1, -2], [3, -4]], dOut = ones)";
        c.close("dX" + hand, dx, Tensor.of(new double[] {1, 0, 1, 0}, 1, 1, 2, 2));
        c.close("conv2 bias grad" + hand, conv2.bias().grad(), Tensor.of(new double[] {2}, 1));
        c.close("conv2 weight grad" + hand, conv2.weight().grad(), Tensor.zeros(1, 1, 3, 3));
        c.close("conv1 weight grad" + hand, conv1.weight().grad(), Tensor.zeros(1, 1, 3, 3));
    }

    private static void residualCase(Comparisons c, ResidualBackward f, long seed, int n, int channels, int h, int w) {
        Random rng = new Random(seed);
        Conv2D conv1 = new Conv2D(channels, channels, 3, 1, 1, rng);
        Conv2D conv2 = new Conv2D(channels, channels, 3, 1, 1, rng);
        fill(conv1.bias().value(), Tensor.randn(rng, channels).mul(0.1));
        fill(conv2.bias().value(), Tensor.randn(rng, channels).mul(0.1));
        ReLU relu1 = new ReLU();
        ReLU reluOut = new ReLU();
        Tensor x = Tensor.randn(rng, n, channels, h, w);
        Tensor r = Tensor.randn(rng, n, channels, h, w);
        DoubleSupplier loss = () -> GradCheck.weightedSum(residualForward(x, conv1, relu1, conv2, reluOut), r);
        List<Param> params = new ArrayList<>(conv1.params());
        params.addAll(conv2.params());
        // the numerical gradients first, so that a backward that changes the weights cannot move them
        Tensor numericX = GradCheck.numeric(loss, x);
        List<Tensor> numericP = new ArrayList<>();
        for (Param p : params) {
            numericP.add(GradCheck.numeric(loss, p.value()));
        }
        List<Tensor> weightsBefore = new ArrayList<>();
        for (Param p : params) {
            weightsBefore.add(p.value().copy());
            p.zeroGrad();
        }
        residualForward(x.copy(), conv1, relu1, conv2, reluOut);
        Tensor dx = f.apply(r.copy(), conv1, relu1, conv2, reluOut);
        String where = " (" + n + " x " + channels + " x " + h + " x " + w + ")";
        String numeric = " from the numerical gradient";
        c.compare("dX" + where, dx, numericX, numeric);
        String[] names = {"conv1 weight", "conv1 bias", "conv2 weight", "conv2 bias"};
        for (int i = 0; i < params.size(); i++) {
            c.compare(names[i] + " grad" + where, params.get(i).grad(), numericP.get(i), numeric);
            c.compare(names[i] + where, params.get(i).value(), weightsBefore.get(i),
                    " before the backward pass, which must not change parameters");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A wrong answer detected before any value could be compared (a missing or short result array). */
    private static final class WrongAnswer extends RuntimeException {
        WrongAnswer(String message) {
            super(message, null, false, false);
        }
    }

    private static Tensor[] results(Tensor[] g, int n, String function, String what) {
        if (g == null || g.length != n) {
            throw new WrongAnswer(function + " must return " + n + " tensors " + what + ", got "
                    + (g == null ? "null" : g.length + " tensors"));
        }
        return g;
    }

    /**
     * "threw NullPointerException: message (in convForward)", naming the innermost method of the
     * student's code when there is one (JShell compiles notebook cells into package REPL; its line
     * numbers count lines of generated wrapper code, so they are left out).
     */
    static String describe(Throwable t) {
        String what = "threw " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("REPL.")) {
                return what + " (in " + e.getMethodName() + ")";
            }
        }
        return what;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Conv2D randomConv(long seed, int in, int out, int kernel, int stride, int padding) {
        Random rng = new Random(seed);
        Conv2D conv = new Conv2D(in, out, kernel, stride, padding, rng);
        conv.useEngine(false); // the reference is the teaching loops
        fill(conv.bias().value(), Tensor.randn(rng, out));
        return conv;
    }

    private static void fill(Tensor target, Tensor values) {
        System.arraycopy(values.data(), 0, target.data(), 0, target.size());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
