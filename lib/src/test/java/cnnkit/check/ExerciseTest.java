package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.Conv2D;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.Paths;
import cnnkit.layers.ReLU;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The exercise checks must pass correct code, fail each classic mistake, report the stub as TODO,
 * and never throw whatever the student's function does.
 */
class ExerciseTest {

    // ---------------------------------------------------------------- correct solutions, built from the library

    private static Conv2D conv(Tensor w, Tensor b, int stride, int padding) {
        Conv2D conv = new Conv2D(w.dim(1), w.dim(0), w.dim(2), stride, padding);
        System.arraycopy(w.data(), 0, conv.weight().value().data(), 0, w.size());
        if (b != null) {
            System.arraycopy(b.data(), 0, conv.bias().value().data(), 0, b.size());
        }
        return conv;
    }

    private static Tensor convForward(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        return Paths.teachingForward(conv(w, b, stride, padding), x);
    }

    private static Tensor[] convBackward(Tensor dOut, Tensor x, Tensor w, int stride, int padding) {
        Conv2D conv = conv(w, null, stride, padding);
        Paths.teachingForward(conv, x);
        Tensor dx = Paths.teachingBackward(conv, dOut);
        return new Tensor[] {dx, conv.weight().grad(), conv.bias().grad()};
    }

    private static Tensor maxPoolBackward(Tensor dOut, Tensor x, int kernel, int stride) {
        MaxPool2D pool = new MaxPool2D(kernel, stride);
        pool.forward(x);
        return pool.backward(dOut);
    }

    private static Tensor softmaxBackward(Tensor logits, int[] labels) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(logits, labels);
        return loss.backward();
    }

    /** Batch-norm backward written out directly (BatchNorm2D does not accept the hand example's eps = 0). */
    private static Tensor[] batchNormBackward(Tensor dOut, Tensor x, Tensor gamma, double eps, boolean full) {
        int n = x.dim(0);
        int ch = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        double m = n * hw;
        Tensor dx = Tensor.zeros(x.shape());
        Tensor dGamma = Tensor.zeros(ch);
        Tensor dBeta = Tensor.zeros(ch);
        for (int c = 0; c < ch; c++) {
            double mean = 0;
            double var = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    mean += x.data()[(b * ch + c) * hw + i] / m;
                }
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    double d = x.data()[(b * ch + c) * hw + i] - mean;
                    var += d * d / m;
                }
            }
            double inv = 1 / Math.sqrt(var + eps);
            double sumG = 0;
            double sumGX = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int k = (b * ch + c) * hw + i;
                    sumG += dOut.data()[k];
                    sumGX += dOut.data()[k] * (x.data()[k] - mean) * inv;
                }
            }
            dGamma.data()[c] = sumGX;
            dBeta.data()[c] = sumG;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int k = (b * ch + c) * hw + i;
                    double xhat = (x.data()[k] - mean) * inv;
                    double g = dOut.data()[k];
                    dx.data()[k] = full ? gamma.data()[c] * inv / m * (m * g - sumG - xhat * sumGX)
                            : gamma.data()[c] * inv * g; // the mistake: mean and variance treated as constants
                }
            }
        }
        return new Tensor[] {dx, dGamma, dBeta};
    }

    private static Tensor residualBackward(Tensor dOut, Conv2D conv1, ReLU relu1, Conv2D conv2, ReLU reluOut) {
        Tensor dSum = reluOut.backward(dOut);
        Tensor dx = conv1.backward(relu1.backward(conv2.backward(dSum)));
        return dx.add(dSum);
    }

    private static void assertStatus(ExerciseResult.Status expected, ExerciseResult r) {
        assertEquals(expected, r.status(), r.toString());
    }

    // ---------------------------------------------------------------- PASS

    @Test
    void correctSolutionsPass() {
        ExerciseResult[] results = {
            Exercise.convForward(ExerciseTest::convForward),
            Exercise.convBackward(ExerciseTest::convBackward),
            Exercise.maxPoolBackward(ExerciseTest::maxPoolBackward),
            Exercise.softmaxCrossEntropyBackward(ExerciseTest::softmaxBackward),
            Exercise.batchNormBackward((g, x, gamma, eps) -> batchNormBackward(g, x, gamma, eps, true)),
            Exercise.residualBackward(ExerciseTest::residualBackward),
        };
        for (ExerciseResult r : results) {
            assertStatus(ExerciseResult.Status.PASS, r);
            assertTrue(r.error() < 1e-7, r.toString());
        }
    }

    // ---------------------------------------------------------------- FAIL: the classic mistakes

    @Test
    void convBackwardWithDwFromTheLastImageOnlyFails() {
        ExerciseResult r = Exercise.convBackward((dOut, x, w, stride, padding) -> {
            Tensor[] g = convBackward(dOut, x, w, stride, padding);
            int last = x.dim(0) - 1; // the bug: dW of the last image instead of the sum over the batch
            Tensor[] lastOnly = convBackward(image(dOut, last), image(x, last), w, stride, padding);
            return new Tensor[] {g[0], lastOnly[1], g[2]};
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().matches("dW\\[.*\\] = .*, expected .* from the numerical gradient \\(kernel 3 stride 2 padding 1, batch 2\\)"),
                r.detail());
    }

    private static Tensor image(Tensor batch, int n) {
        int[] shape = batch.shape();
        shape[0] = 1;
        return batch.slice(n).reshape(shape);
    }

    @Test
    void convForwardIgnoringPaddingFails() {
        ExerciseResult r = Exercise.convForward((x, w, b, stride, padding) -> convForward(x, w, b, stride, 0));
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().contains("expected shape (1, 1, 3, 3), got (1, 1, 1, 1)"), r.detail());
        assertTrue(Double.isInfinite(r.error()));
    }

    @Test
    void maxPoolGivingTiesToTheLastMaximumFails() {
        ExerciseResult r = Exercise.maxPoolBackward((dOut, x, kernel, stride) -> {
            if (x.size() == 4 && x.max() == x.min()) {
                return Tensor.of(new double[] {0, 0, 0, dOut.item()}, x.shape()); // the last one wins
            }
            return maxPoolBackward(dOut, x, kernel, stride);
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().contains("equal values"), r.detail());
    }

    @Test
    void softmaxWithoutSubtractingTheMaxFails() {
        ExerciseResult r = Exercise.softmaxCrossEntropyBackward((logits, labels) -> {
            int n = logits.dim(0);
            int k = logits.dim(1);
            Tensor d = Tensor.zeros(n, k);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(logits.get(i, j)); // overflows for logits near 1000
                }
                for (int j = 0; j < k; j++) {
                    d.set((Math.exp(logits.get(i, j)) / sum - (j == labels[i] ? 1 : 0)) / n, i, j);
                }
            }
            return d;
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertEquals("inf", ExerciseResult.formatError(r.error()));
    }

    @Test
    void batchNormWithConstantStatisticsFails() {
        ExerciseResult r = Exercise.batchNormBackward((g, x, gamma, eps) -> batchNormBackward(g, x, gamma, eps, false));
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().startsWith("dX[") && r.detail().endsWith("(hand example, eps = 0)"), r.detail());
    }

    @Test
    void residualWithoutTheShortcutFails() {
        ExerciseResult r = Exercise.residualBackward((dOut, c1, r1, c2, rOut) ->
                c1.backward(r1.backward(c2.backward(rOut.backward(dOut)))));
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().startsWith("dX"), r.detail());
    }

    @Test
    void residualBackwardThatChangesWeightsFails() {
        ExerciseResult r = Exercise.residualBackward((dOut, c1, r1, c2, rOut) -> {
            Tensor dx = residualBackward(dOut, c1, r1, c2, rOut);
            c1.weight().value().addScaledInPlace(-0.1, c1.weight().grad()); // an SGD step inside backward
            return dx;
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().contains("must not change parameters"), r.detail());
    }

    // ---------------------------------------------------------------- TODO, exceptions, nonsense

    @Test
    void theStubIsTodo() {
        ExerciseResult r = Exercise.convForward((x, w, b, s, p) -> {
            throw new UnsupportedOperationException("not implemented yet");
        });
        assertStatus(ExerciseResult.Status.TODO, r);
        assertEquals("TODO conv_forward  not implemented yet", r.toString());
    }

    @Test
    void anExceptionIsAFailWithItsName() {
        ExerciseResult r = Exercise.maxPoolBackward((dOut, x, k, s) -> {
            Object o = null;
            o.hashCode();
            return null;
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().startsWith("threw NullPointerException"), r.detail());
    }

    @Test
    void otherUnsupportedOperationsAreFailures() {
        ExerciseResult r = Exercise.softmaxCrossEntropyBackward((z, y) -> {
            java.util.List.of(1).add(2);
            return z;
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
    }

    @Test
    void errorsAreCaughtToo() {
        ExerciseResult r = Exercise.softmaxCrossEntropyBackward(ExerciseTest::recurse);
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().contains("StackOverflowError"), r.detail());
    }

    private static Tensor recurse(Tensor z, int[] y) {
        return recurse(z, y);
    }

    @Test
    void nullsAndShortArraysAreFailures() {
        assertStatus(ExerciseResult.Status.FAIL, Exercise.convForward((x, w, b, s, p) -> null));
        ExerciseResult r = Exercise.convBackward((g, x, w, s, p) -> new Tensor[] {x});
        assertStatus(ExerciseResult.Status.FAIL, r);
        assertTrue(r.detail().contains("must return 3 tensors"), r.detail());
        assertStatus(ExerciseResult.Status.FAIL, Exercise.batchNormBackward((g, x, gm, e) -> null));
    }

    @Test
    void changingTheInputsInPlaceDoesNotHelp() {
        // zeroing x and returning zeros would match a numerical gradient taken at x = 0
        ExerciseResult r = Exercise.maxPoolBackward((dOut, x, k, s) -> {
            x.fill(0.0);
            return Tensor.zeros(x.shape());
        });
        assertStatus(ExerciseResult.Status.FAIL, r);
    }

    @Test
    void aCheckThatComparesNothingFails() {
        assertStatus(ExerciseResult.Status.FAIL, Exercise.check("empty", c -> { }));
    }

    @Test
    void theGeneralFormComparesValuesAndGradients() {
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3);
        ExerciseResult ok = Exercise.check("square", c -> {
            c.close("square", x.map(v -> v * v), Tensor.of(new double[] {1, 4, 9}, 3));
            c.gradient("d sum(x^2)", x.mul(2.0), () -> x.map(v -> v * v).sum(), x);
        });
        assertStatus(ExerciseResult.Status.PASS, ok);
        ExerciseResult wrong = Exercise.check("square", c ->
                c.gradient("d sum(x^2)", x, () -> x.map(v -> v * v).sum(), x));
        assertStatus(ExerciseResult.Status.FAIL, wrong);
        assertEquals("d sum(x^2)[0] = 1.00000, expected 2.00000 from the numerical gradient", wrong.detail());
    }

    // ---------------------------------------------------------------- printing and signing

    private static String printed(Runnable r) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printShowsOneLineForAPass() {
        ExerciseResult r = Exercise.convForward(ExerciseTest::convForward);
        String out = printed(r::print);
        assertTrue(out.matches("PASS conv_forward  rel error \\d\\.\\de[-+]\\d\\d\n"), out);
    }

    @Test
    void printWithATokenAddsALineSignedWithIt() {
        ExerciseResult r = new ExerciseResult("conv_forward", ExerciseResult.Status.FAIL, 0.42, "dW differs");
        String[] lines = printed(() -> r.print("secret")).split("\n");
        assertEquals(3, lines.length);
        assertEquals("FAIL conv_forward  rel error 4.2e-01", lines[0]);
        String payload = "conv_forward FAIL 4.2e-01";
        assertEquals("CNNKIT-RESULT " + payload + " " + ExerciseResult.hmac("secret", payload), lines[2]);
        assertNotEquals(ExerciseResult.hmac("secret", payload), ExerciseResult.hmac("other", payload));
        assertNotEquals(ExerciseResult.hmac("secret", payload), ExerciseResult.hmac("secret", "conv_forward PASS 4.2e-01"));
    }

    @Test
    void hmacMatchesTheStandardTestVector() {
        assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                ExerciseResult.hmac("key", "The quick brown fox jumps over the lazy dog"));
    }

    @Test
    void anEmptyTokenIsRefused() {
        ExerciseResult r = new ExerciseResult("x", ExerciseResult.Status.PASS, 0, "");
        try {
            r.signedLine("");
            throw new AssertionError("expected an exception");
        } catch (IllegalArgumentException expected) {
            assertFalse(expected.getMessage().isEmpty());
        }
    }
}
