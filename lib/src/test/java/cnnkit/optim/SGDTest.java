package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SGDTest {
    private static final double TOL = 1e-15;

    private static Param param(String name, double[] value, double[] grad) {
        Param p = new Param(name, Tensor.of(value, value.length));
        System.arraycopy(grad, 0, p.grad().data(), 0, grad.length);
        return p;
    }

    @Test
    void oneStepIsWeightMinusLrTimesGrad() {
        Param w = param("weight", new double[] {1, -2, 3}, new double[] {0.5, 1, -4});
        Param b = param("bias", new double[] {0.25}, new double[] {2});
        new SGD(List.of(w, b), 0.1).step();
        assertArrayEquals(new double[] {0.95, -2.1, 3.4}, w.value().data(), TOL);
        assertArrayEquals(new double[] {0.05}, b.value().data(), TOL);
        assertArrayEquals(new double[] {0.5, 1, -4}, w.grad().data(), "step leaves the gradient alone");
    }

    @Test
    void momentumTwoStepsByHand() {
        Param w = param("w", new double[] {1}, new double[] {0.5});
        SGD sgd = new SGD(List.of(w), 0.1, 0.9, 0);
        sgd.step(); // v = 0.5, w = 1 - 0.1 * 0.5 = 0.95
        assertEquals(0.95, w.value().data()[0], TOL);
        sgd.step(); // v = 0.9 * 0.5 + 0.5 = 0.95, w = 0.95 - 0.1 * 0.95 = 0.855
        assertEquals(0.855, w.value().data()[0], 1e-14);
    }

    @Test
    void weightDecayAddsAnL2Term() {
        Param w = param("w", new double[] {2, -1}, new double[] {0, 1});
        new SGD(List.of(w), 0.5, 0, 0.1).step();
        // g = grad + 0.1 * w = [0.2, 0.9]; w - 0.5 * g = [1.9, -1.45]
        assertArrayEquals(new double[] {1.9, -1.45}, w.value().data(), TOL);
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Param w = param("w", new double[] {1, 2}, new double[] {3, 4});
        Param b = param("b", new double[] {1}, new double[] {5});
        SGD sgd = new SGD(List.of(w, b), 0.1);
        sgd.zeroGrad();
        assertArrayEquals(new double[] {0, 0}, w.grad().data());
        assertArrayEquals(new double[] {0}, b.grad().data());
        sgd.step();
        assertArrayEquals(new double[] {1, 2}, w.value().data(), "a zero gradient changes nothing");
        assertEquals(List.of(w, b), sgd.params());
    }

    @Test
    void learningRateCanChange() {
        Param w = param("w", new double[] {1}, new double[] {1});
        SGD sgd = new SGD(List.of(w), 0.1);
        sgd.setLr(0.5);
        assertEquals(0.5, sgd.lr());
        sgd.step();
        assertEquals(0.5, w.value().data()[0], TOL);
    }

    @Test
    void badHyperParameters() {
        List<Param> ps = List.of(param("w", new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, -1));
    }

    @Test
    void nanMomentumAndWeightDecayAreRejectedByName() {
        List<Param> ps = List.of(param("w", new double[] {1}, new double[] {1}));
        assertEquals("SGD: momentum must be in [0, 1), got NaN", assertThrows(IllegalArgumentException.class,
                () -> new SGD(ps, 0.1, Double.NaN, 0)).getMessage());
        assertEquals("SGD: weightDecay must be a finite number >= 0, got NaN", assertThrows(
                IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, Double.NaN)).getMessage());
        assertEquals("SGD: lr must be a finite number > 0, got Infinity", assertThrows(
                IllegalArgumentException.class, () -> new SGD(ps, Double.POSITIVE_INFINITY)).getMessage());
    }

    @Test
    void setLrRejectsNanAndNegativeRatesAndKeepsTheOldOne() {
        Param w = param("w", new double[] {1}, new double[] {1});
        SGD sgd = new SGD(List.of(w), 0.1);
        assertEquals("SGD.setLr: lr must be a finite number >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> sgd.setLr(Double.NaN)).getMessage());
        assertEquals("SGD.setLr: lr must be a finite number >= 0, got -0.5",
                assertThrows(IllegalArgumentException.class, () -> sgd.setLr(-0.5)).getMessage());
        assertEquals(0.1, sgd.lr());
        sgd.step();
        assertEquals(0.9, w.value().data()[0], TOL, "the step used the rate that was kept");
        sgd.setLr(0);
        sgd.step();
        assertEquals(0.9, w.value().data()[0], TOL, "a zero rate (end of a decay to zero) leaves the weights");
    }
}
