package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class NesterovTest {
    private static Param param(double[] value, double[] grad) {
        Param p = new Param("w", Tensor.of(value, value.length));
        System.arraycopy(grad, 0, p.grad().data(), 0, grad.length);
        return p;
    }

    @Test
    void twoStepsByHand() {
        Param w = param(new double[] {1}, new double[] {0.5});
        Nesterov opt = new Nesterov(List.of(w), 0.1, 0.9, 0);
        opt.step(); // v = 0.5, w = 1 - 0.1 * (0.5 + 0.9 * 0.5) = 0.905
        assertEquals(0.905, w.value().data()[0], 1e-15);
        opt.step(); // v = 0.9 * 0.5 + 0.5 = 0.95, w = 0.905 - 0.1 * (0.5 + 0.9 * 0.95) = 0.7695
        assertEquals(0.7695, w.value().data()[0], 1e-15);
        assertArrayEquals(new double[] {0.5}, w.grad().data(), "step leaves the gradient alone");
    }

    @Test
    void movesFurtherThanPlainMomentumOnTheSameGradients() {
        Param a = param(new double[] {1}, new double[] {0.5});
        Param b = param(new double[] {1}, new double[] {0.5});
        new Nesterov(List.of(a), 0.1, 0.9, 0).step();
        new SGD(List.of(b), 0.1, 0.9, 0).step();
        assertEquals(0.95, b.value().data()[0], 1e-15);
        assertEquals(0.905, a.value().data()[0], 1e-15);
    }

    /** The stored weights are the look-ahead point w - lr * mu * v of the textbook form. */
    @Test
    void equalsTheLookAheadFormOnAQuadratic() {
        double a = 3;
        double lr = 0.05;
        double mu = 0.9;
        Param p = param(new double[] {2}, new double[] {0});
        Nesterov opt = new Nesterov(List.of(p), lr, mu, 0);
        double w = 2;
        double v = 0;
        for (int t = 0; t < 20; t++) {
            double u = p.value().data()[0];
            p.grad().data()[0] = a * u; // f(u) = a u^2 / 2
            opt.step();
            v = mu * v + a * (w - lr * mu * v); // gradient at the look-ahead point
            w = w - lr * v;
            assertEquals(w - lr * mu * v, p.value().data()[0], 1e-12, "step " + (t + 1));
        }
    }

    @Test
    void weightDecayAddsAnL2Term() {
        Param w = param(new double[] {2}, new double[] {0});
        new Nesterov(List.of(w), 0.5, 0.5, 0.1).step();
        // g = 0.2, v = 0.2, w = 2 - 0.5 * (0.2 + 0.5 * 0.2) = 1.85
        assertEquals(1.85, w.value().data()[0], 1e-15);
    }

    @Test
    void badHyperParameters() {
        List<Param> ps = List.of(param(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(ps, 0));
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(ps, 0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(ps, 0.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(ps, 0.1, 0.9, -1));
        assertThrows(IllegalArgumentException.class, () -> new Nesterov(ps, 0.1).setLr(Double.NaN));
    }
}
