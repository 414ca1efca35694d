package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.check.GradReport;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ReLUTest {
    @Test
    void forwardAndBackwardByHand() {
        ReLU relu = new ReLU();
        Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 0.5, 3, -7}, 2, 3);
        Tensor y = relu.forward(x);
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 3, 0}, y.data());
        Tensor dOut = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor dx = relu.backward(dOut);
        // Blocked where x <= 0 (including exactly 0), passed where x > 0.
        assertArrayEquals(new double[] {0, 0, 0, 4, 5, 0}, dx.data());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, dOut.data(), "dOut unchanged");
        assertArrayEquals(new double[] {-2, -0.5, 0, 0.5, 3, -7}, x.data(), "x unchanged");
    }

    @Test
    void gradCheckAwayFromTheKink() {
        Tensor x = Tensor.randn(4, 2, 3, 4, 4).map(v -> v + Math.signum(v) * 0.1);
        GradReport report = GradCheck.check(new ReLU(), x, 5);
        assertEquals(1, report.entries().size(), "no parameters, only the input row");
        assertTrue(report.maxError() < 1e-7, report::toString);
    }

    @Test
    void aNaNInputStaysNaNSoThatADivergingRunIsNoticed() {
        Tensor y = new ReLU().forward(Tensor.of(new double[] {Double.NaN, -1, 2}, 1, 3));
        assertTrue(Double.isNaN(y.data()[0]), "NaN must not become 0: " + y);
        assertArrayEquals(new double[] {0, 2}, new double[] {y.data()[1], y.data()[2]});
    }

    @Test
    void errors() {
        ReLU relu = new ReLU();
        assertTrue(assertThrows(IllegalStateException.class, () -> relu.backward(Tensor.zeros(2)))
                .getMessage().contains("ReLU"));
        relu.forward(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> relu.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("ReLU") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(3, 2)"), e.getMessage());
        assertEquals(0, relu.paramCount());
    }
}
