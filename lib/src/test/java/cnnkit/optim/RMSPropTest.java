package cnnkit.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class RMSPropTest {
    private static Param param(double value, double grad) {
        Param p = new Param("w", Tensor.of(new double[] {value}, 1));
        p.grad().data()[0] = grad;
        return p;
    }

    @Test
    void twoStepsByHand() {
        Param w = param(1, 0.5);
        RMSProp opt = new RMSProp(List.of(w), 0.01, 0.9, 1e-12, 0); // eps too small to show in 10 digits
        opt.step(); // s = 0.1 * 0.25 = 0.025, w = 1 - 0.01 * 0.5 / sqrt(0.025) = 1 - 0.0316227766
        assertEquals(0.9683772234, w.value().data()[0], 1e-9);
        w.grad().data()[0] = -1;
        opt.step(); // s = 0.9 * 0.025 + 0.1 * 1 = 0.1225, sqrt = 0.35, w += 0.01 / 0.35 = 0.0285714286
        assertEquals(0.9683772234 + 0.0285714286, w.value().data()[0], 1e-9);
    }

    @Test
    void theStepSizeDoesNotDependOnTheGradientScale() {
        Param small = param(0, 1e-3);
        Param large = param(0, 1e3);
        new RMSProp(List.of(small, large), 0.01, 0.9, 1e-12, 0).step();
        // first step: lr * g / sqrt(0.1 g^2) = lr / sqrt(0.1) = 0.0316227766 for any g
        assertEquals(-0.0316227766, small.value().data()[0], 1e-8);
        assertEquals(-0.0316227766, large.value().data()[0], 1e-9);
    }

    @Test
    void weightDecayAddsAnL2Term() {
        Param w = param(2, 0);
        new RMSProp(List.of(w), 0.01, 0.9, 1e-12, 0.5).step();
        // g = 0.5 * 2 = 1, s = 0.1, w = 2 - 0.01 / sqrt(0.1)
        assertEquals(2 - 0.0316227766, w.value().data()[0], 1e-9);
    }

    @Test
    void badHyperParameters() {
        List<Param> ps = List.of(param(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RMSProp(ps, -1));
        assertThrows(IllegalArgumentException.class, () -> new RMSProp(ps, 0.1, 1, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new RMSProp(ps, 0.1, 0.9, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RMSProp(ps, 0.1, 0.9, 1e-8, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new RMSProp(ps, 0.1).setLr(0));
    }
}
