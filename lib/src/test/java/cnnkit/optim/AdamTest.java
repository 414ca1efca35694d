package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {
    private static final double EPS = 1e-8;

    private static Param param(double... values) {
        return new Param("w", Tensor.of(values, values.length));
    }

    private static void setGrad(Param p, double... g) {
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
    }

    @Test
    void firstStepIsLrTimesSignOfTheGradient() {
        // bias correction: mHat = g and vHat = g^2 after one step, so the step is lr * g / (|g| + eps)
        Param p = param(1, -2, 0.5, 4);
        setGrad(p, 3, -0.001, 0, 250);
        double lr = 0.01;
        new Adam(List.of(p), lr).step();
        assertArrayEquals(new double[] {
            1 - lr * 3 / (3 + EPS),
            -2 + lr * 0.001 / (0.001 + EPS),
            0.5,
            4 - lr * 250 / (250 + EPS)}, p.value().data(), 1e-15);
        assertEquals(1 - lr, p.value().data()[0], 1e-9); // about lr * sign(g), whatever |g| is
        assertEquals(4 - lr, p.value().data()[3], 1e-9);
    }

    @Test
    void constantGradientKeepsStepsOfLr() {
        // m_t = (1 - beta1^t) g and v_t = (1 - beta2^t) g^2, so the corrected ratio stays g / |g|
        Param p = param(0);
        Adam adam = new Adam(List.of(p), 0.1);
        for (int i = 0; i < 3; i++) {
            setGrad(p, 5);
            adam.step();
        }
        assertEquals(-3 * 0.1 * 5 / (5 + EPS), p.value().item(), 1e-14);
        assertEquals(3, adam.steps());
    }

    @Test
    void secondStepAfterTheGradientFlips() {
        // g1 = 1, g2 = -1: m2 = 0.9 * 0.1 - 0.1 = -0.01, mHat = -0.01 / (1 - 0.81) = -1/19;
        // v2 = 0.999 * 0.001 + 0.001 = 0.001999 = 1 - 0.999^2, so vHat = 1
        Param p = param(0);
        Adam adam = new Adam(List.of(p), 0.5);
        setGrad(p, 1);
        adam.step();
        setGrad(p, -1);
        adam.step();
        double first = -0.5 * 1 / (1 + EPS);
        double second = 0.5 * (1.0 / 19) / (1 + EPS);
        assertEquals(first + second, p.value().item(), 1e-12);
    }

    @Test
    void weightDecayActsAsAGradient() {
        // zero loss gradient, w = 2, weightDecay = 0.1: g = 0.2 and the first step is lr * 0.2 / (0.2 + eps)
        Param p = param(2);
        new Adam(List.of(p), 0.01, 0.9, 0.999, EPS, 0.1).step();
        assertEquals(2 - 0.01 * 0.2 / (0.2 + EPS), p.value().item(), 1e-15);
    }

    @Test
    void minimisesAnIllConditionedQuadratic() {
        // f(w) = (w0 - 1)^2 + 100 (w1 + 2)^2 + 0.01 (w2 - 3)^2, minimum at (1, -2, 3)
        double[] scale = {1, 100, 0.01};
        double[] target = {1, -2, 3};
        Param p = param(5, 3, -1);
        Adam adam = new Adam(List.of(p), 0.05);
        for (int step = 0; step < 3000; step++) {
            adam.zeroGrad();
            double[] w = p.value().data();
            for (int i = 0; i < 3; i++) {
                p.grad().data()[i] = 2 * scale[i] * (w[i] - target[i]);
            }
            adam.step();
        }
        assertArrayEquals(target, p.value().data(), 1e-3);
    }

    @Test
    void keepsSeparateStateForEachParameter() {
        Param a = param(0);
        Param b = param(0, 0);
        Adam adam = new Adam(List.of(a, b), 0.1);
        setGrad(a, 2);
        setGrad(b, -4, 0);
        adam.step();
        assertEquals(-0.1 * 2 / (2 + EPS), a.value().item(), 1e-15);
        assertArrayEquals(new double[] {0.1 * 4 / (4 + EPS), 0}, b.value().data(), 1e-15);
    }

    @Test
    void learningRateCanBeChangedThroughTheBaseClass() {
        Param p = param(0);
        Optimizer opt = new Adam(List.of(p), 0.1);
        opt.setLr(0.02);
        assertEquals(0.02, opt.lr());
        setGrad(p, 1);
        opt.step();
        assertEquals(-0.02 / (1 + EPS), p.value().item(), 1e-15);
        Optimizer sgd = new SGD(List.of(p), 0.1);
        sgd.setLr(0.05);
        assertEquals(0.05, sgd.lr());
    }

    @Test
    void badSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(param(0)), 0.1, 1.0, 0.999, 1e-8, 0));
        assertEquals("Adam: beta1 must be in [0, 1), got 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(param(0)), 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(param(0)), 0.1).setLr(-1));
    }

    @Test
    void nanAndInfiniteSettingsAreRejectedByName() {
        List<Param> ps = List.of(param(0));
        double inf = Double.POSITIVE_INFINITY;
        assertEquals("Adam: lr must be a finite number > 0, got Infinity",
                assertThrows(IllegalArgumentException.class, () -> new Adam(ps, inf)).getMessage());
        assertEquals("Adam: beta2 must be in [0, 1), got NaN", assertThrows(IllegalArgumentException.class,
                () -> new Adam(ps, 0.1, 0.9, Double.NaN, 1e-8, 0)).getMessage());
        assertEquals("Adam: eps must be a finite number > 0, got Infinity", assertThrows(
                IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, 0.999, inf, 0)).getMessage());
        assertEquals("Adam: weightDecay must be a finite number >= 0, got Infinity", assertThrows(
                IllegalArgumentException.class, () -> new Adam(ps, 0.1, 0.9, 0.999, 1e-8, inf)).getMessage());
        Adam adam = new Adam(ps, 0.1);
        assertEquals("Adam.setLr: lr must be a finite number >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> adam.setLr(Double.NaN)).getMessage());
        assertEquals(0.1, adam.lr(), "a refused rate leaves the old one");
        adam.setLr(0);
        assertEquals(0, adam.lr(), "a schedule may bring the rate to zero");
    }
}
