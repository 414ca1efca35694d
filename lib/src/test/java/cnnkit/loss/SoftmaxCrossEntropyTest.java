package cnnkit.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    private static final double TOL = 1e-12;

    @Test
    void valueAndGradientByHand() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        // Row 0: equal logits, p = 1/3 each. Row 1: exp gives 1, 2, 3, so p = 1/6, 1/3, 1/2.
        Tensor logits = Tensor.of(new double[] {0, 0, 0, 0, Math.log(2), Math.log(3)}, 2, 3);
        double value = loss.forward(logits, new int[] {1, 2});
        // (-log(1/3) - log(1/2)) / 2 = log(6) / 2
        assertEquals(Math.log(6) / 2, value, TOL);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 6, 1.0 / 3, 0.5},
                loss.probabilities().data(), TOL);
        // (p - onehot) / N with N = 2
        assertArrayEquals(new double[] {1.0 / 6, -1.0 / 3, 1.0 / 6, 1.0 / 12, 1.0 / 6, -0.25},
                loss.backward().data(), TOL);
    }

    @Test
    void oneHotTargetsGiveTheSameAsLabels() {
        SoftmaxCrossEntropy a = new SoftmaxCrossEntropy();
        SoftmaxCrossEntropy b = new SoftmaxCrossEntropy();
        Tensor logits = Tensor.randn(3, 4, 5);
        int[] labels = {4, 0, 2, 2};
        Tensor oneHot = Tensor.zeros(4, 5);
        for (int n = 0; n < 4; n++) {
            oneHot.set(1, n, labels[n]);
        }
        assertEquals(a.forward(logits, labels), b.forward(logits, oneHot), TOL);
        assertTrue(a.backward().allClose(b.backward(), TOL));
    }

    @Test
    void softTargets() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        // equal logits over 2 classes: p = 1/2, so the loss is log 2 whatever the target mix
        Tensor logits = Tensor.zeros(1, 2);
        assertEquals(Math.log(2), loss.forward(logits, Tensor.of(new double[] {0.3, 0.7}, 1, 2)), TOL);
        assertArrayEquals(new double[] {0.2, -0.2}, loss.backward().data(), TOL);
    }

    @Test
    void hugeLogitsStayFinite() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor logits = Tensor.of(new double[] {1000, -1000, 0, -1000, 1000, 999}, 2, 3);
        // Row 0, label 0: log-sum-exp = 1000 + log(1 + e^-2000 + e^-1000) = 1000 in double, loss 0.
        // Row 1, label 2: log-sum-exp = 1000 + log(1 + e^-1), loss = 1 + log(1 + e^-1).
        double value = loss.forward(logits, new int[] {0, 2});
        assertEquals((1 + Math.log(1 + Math.exp(-1))) / 2, value, TOL);
        Tensor p = loss.probabilities();
        for (double v : p.data()) {
            assertTrue(Double.isFinite(v) && v >= 0 && v <= 1, p.toString());
        }
        assertEquals(1.0, p.get(0, 0), TOL);
        assertEquals(1 / (1 + Math.exp(-1)), p.get(1, 1), TOL);
        for (double v : loss.backward().data()) {
            assertTrue(Double.isFinite(v));
        }
        // A confidently wrong answer costs the full logit gap, not infinity.
        assertEquals(2000, loss.forward(Tensor.of(new double[] {1000, -1000}, 1, 2), new int[] {1}), 1e-9);
    }

    @Test
    void backwardMatchesTheNumericGradientOfTheLoss() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Tensor logits = Tensor.randn(7, 4, 6); // moderate logits: no probability so tiny that rounding dominates
        int[] labels = {5, 0, 3, 3};
        Tensor numeric = GradCheck.numeric(() -> loss.forward(logits, labels), logits);
        loss.forward(logits, labels);
        Tensor analytic = loss.backward();
        assertTrue(GradCheck.relError(analytic, numeric) < 1e-7,
                "rel error " + GradCheck.relError(analytic, numeric));
        // every row of the gradient sums to zero, since probabilities and one-hot both sum to 1
        for (int n = 0; n < 4; n++) {
            double s = 0;
            for (int k = 0; k < 6; k++) {
                s += analytic.get(n, k);
            }
            assertEquals(0, s, 1e-15);
        }
    }

    @Test
    void errors() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        assertThrows(IllegalStateException.class, loss::backward);
        Tensor logits = Tensor.zeros(2, 3);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(logits, new int[] {0, 3}));
        assertTrue(range.getMessage().contains("label 3") && range.getMessage().contains("0..2"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {-1, 0}));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(logits, new int[] {0, 1, 2}));
        assertTrue(count.getMessage().contains("3 labels") && count.getMessage().contains("(2, 3)"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(2, 3, 1), new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, Tensor.zeros(3, 2)));
    }
}
