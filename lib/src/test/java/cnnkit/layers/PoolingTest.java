package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PoolingTest {
    private static final double TOL = 1e-7;

    /** The 4x4 example 1..16 with a 2x2 window and stride 2. */
    private static Tensor example() {
        return Tensor.arange(1, 1, 4, 4).add(1.0);
    }

    @Test
    void aNaNInAWindowIsItsMaximumSoThatADivergingRunIsNoticed() {
        double nan = Double.NaN;
        Tensor x = Tensor.of(new double[] {1, nan, 0, 5,
                                           3, 2, 4, 1}, 1, 1, 2, 4);
        Tensor plain = new MaxPool2D(2, 2).forward(x);
        assertTrue(Double.isNaN(plain.data()[0]), "MaxPool2D: " + plain);
        assertEquals(5, plain.data()[1]);
        Tensor padded = new PaddedMaxPool2D(2, 2, 1).forward(x);
        assertTrue(Double.isNaN(padded.data()[1]), "PaddedMaxPool2D: " + padded);
        assertEquals(1, padded.data()[0]);
    }

    @Test
    void maxPoolOfTheWorkedExample() {
        Tensor out = new MaxPool2D(2, 2).forward(example());
        assertArrayEquals(new int[] {1, 1, 2, 2}, out.shape());
        assertArrayEquals(new double[] {6, 8, 14, 16}, out.data(), 0.0);
    }

    @Test
    void avgPoolOfTheWorkedExample() {
        Tensor out = new AvgPool2D(2, 2).forward(example());
        assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, out.data(), 1e-12);
    }

    @Test
    void globalAvgPoolIsTheChannelMean() {
        Tensor x = Tensor.arange(2, 2, 2, 3); // each channel holds 6 consecutive values
        Tensor out = new GlobalAvgPool2D().forward(x);
        assertArrayEquals(new int[] {2, 2}, out.shape());
        assertArrayEquals(new double[] {2.5, 8.5, 14.5, 20.5}, out.data(), 1e-12);
    }

    @Test
    void outputSizeFloorsAPartialWindow() {
        // H' = (7 - 3) / 2 + 1 = 3, W' = (6 - 3) / 2 + 1 = 2
        Tensor out = new MaxPool2D(3, 2).forward(Tensor.zeros(2, 3, 7, 6));
        assertArrayEquals(new int[] {2, 3, 3, 2}, out.shape());
    }

    @Test
    void maxPoolBackwardRoutesToTheWinner() {
        MaxPool2D pool = new MaxPool2D(2, 2);
        pool.forward(example());
        Tensor dx = pool.backward(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        double[] expected = new double[16];
        expected[5] = 1; // 6 sits at (1, 1)
        expected[7] = 2; // 8 at (1, 3)
        expected[13] = 3; // 14 at (3, 1)
        expected[15] = 4; // 16 at (3, 3)
        assertArrayEquals(expected, dx.data(), 0.0);
    }

    @Test
    void maxPoolTieGoesToTheFirstMaximum() {
        MaxPool2D pool = new MaxPool2D(2, 2);
        Tensor out = pool.forward(Tensor.full(5.0, 1, 1, 2, 2));
        assertEquals(5.0, out.item());
        Tensor dx = pool.backward(Tensor.ones(1, 1, 1, 1));
        assertArrayEquals(new double[] {1, 0, 0, 0}, dx.data(), 0.0);
    }

    @Test
    void avgPoolBackwardSpreadsEvenly() {
        AvgPool2D pool = new AvgPool2D(2, 2);
        pool.forward(example());
        Tensor dx = pool.backward(Tensor.of(new double[] {4, 8, 12, 16}, 1, 1, 2, 2));
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, dx.data(), 1e-12);
    }

    @Test
    void maxPoolGradientStride2OddSize() {
        GradCheck.check(new MaxPool2D(3, 2), TestInputs.distinct(1, 2, 3, 7, 5), 11).require(TOL);
    }

    @Test
    void maxPoolGradientOverlappingWindows() {
        GradCheck.check(new MaxPool2D(2, 1), TestInputs.distinct(2, 2, 2, 5, 4), 12).require(TOL);
    }

    @Test
    void avgPoolGradientStride2OddSize() {
        GradCheck.check(new AvgPool2D(3, 2), Tensor.randn(3, 2, 3, 7, 5), 13).require(TOL);
    }

    @Test
    void avgPoolGradientOverlappingWindows() {
        GradCheck.check(new AvgPool2D(2, 1), Tensor.randn(4, 3, 2, 5, 4), 14).require(TOL);
    }

    @Test
    void globalAvgPoolGradient() {
        GradCheck.check(new GlobalAvgPool2D(), Tensor.randn(5, 2, 3, 5, 3), 15).require(TOL);
    }

    @Test
    void windowLargerThanImageIsRejected() {
        MaxPool2D pool = new MaxPool2D(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.forward(Tensor.zeros(1, 2, 2, 5)));
        assertTrue(e.getMessage().contains("MaxPool2D(kernel=3, stride=2)"), e.getMessage());
        assertTrue(e.getMessage().contains("(1, 2, 2, 5)"), e.getMessage());
    }

    @Test
    void wrongRankIsRejected() {
        AvgPool2D pool = new AvgPool2D(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.forward(Tensor.zeros(4, 4)));
        assertTrue(e.getMessage().contains("AvgPool2D(kernel=2, stride=2)"), e.getMessage());
        assertTrue(e.getMessage().contains("(N, C, H, W)"), e.getMessage());
        assertTrue(e.getMessage().contains("(4, 4)"), e.getMessage());
        GlobalAvgPool2D gap = new GlobalAvgPool2D();
        e = assertThrows(IllegalArgumentException.class, () -> gap.forward(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("GlobalAvgPool2D") && e.getMessage().contains("(2, 3, 4)"), e.getMessage());
    }

    @Test
    void wrongGradientShapeIsRejected() {
        MaxPool2D pool = new MaxPool2D(2, 2);
        pool.forward(Tensor.zeros(1, 1, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.backward(Tensor.zeros(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("(1, 1, 2, 2)") && e.getMessage().contains("(1, 1, 3, 3)"), e.getMessage());
    }

    @Test
    void backwardBeforeForwardIsRejected() {
        assertThrows(IllegalStateException.class, () -> new AvgPool2D(2, 2).backward(Tensor.zeros(1, 1, 1, 1)));
    }

    @Test
    void badHyperParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2D(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2D(2, 0));
    }
}
