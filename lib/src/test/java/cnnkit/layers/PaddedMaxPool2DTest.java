package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PaddedMaxPool2DTest {

    @Test
    void threeByThreeStrideOnePadOneKeepsTheSize() {
        Tensor out = new PaddedMaxPool2D(3, 1, 1).forward(Tensor.zeros(2, 3, 5, 4));
        assertArrayEquals(new int[] {2, 3, 5, 4}, out.shape());
    }

    @Test
    void paddingIsMinusInfinityNotZero() {
        // All values negative: a zero border would make every border output 0.
        Tensor x = Tensor.of(new double[] {-1, -2, -3, -4}, 1, 1, 2, 2);
        Tensor out = new PaddedMaxPool2D(3, 1, 1).forward(x);
        // Every 3x3 window around a pixel of a 2x2 image covers the whole image: max is -1.
        assertArrayEquals(new double[] {-1, -1, -1, -1}, out.data(), 0.0);
    }

    @Test
    void handWorkedThreeByThree() {
        // 1 2 3        windows 3x3, stride 1, padding 1:
        // 4 5 6   ->   5 6 6
        // 7 8 9        8 9 9
        //              8 9 9
        Tensor x = Tensor.arange(1, 1, 3, 3).add(1.0);
        Tensor out = new PaddedMaxPool2D(3, 1, 1).forward(x);
        assertArrayEquals(new double[] {5, 6, 6, 8, 9, 9, 8, 9, 9}, out.data(), 0.0);
    }

    @Test
    void withoutPaddingItMatchesMaxPool2D() {
        Tensor x = TestInputs.distinct(3, 2, 2, 7, 6);
        assertArrayEquals(new MaxPool2D(3, 2).forward(x).data(), new PaddedMaxPool2D(3, 2, 0).forward(x).data(), 0.0);
    }

    @Test
    void backwardSendsEachGradientToItsWinner() {
        Tensor x = Tensor.arange(1, 1, 3, 3).add(1.0);
        PaddedMaxPool2D pool = new PaddedMaxPool2D(3, 1, 1);
        pool.forward(x);
        Tensor dx = pool.backward(Tensor.ones(1, 1, 3, 3));
        // winners: 5 once, 6 twice, 8 twice, 9 four times
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 2, 4}, dx.data(), 0.0);
    }

    @Test
    void gradientStride2OddSize() {
        GradCheck.check(new PaddedMaxPool2D(3, 2, 1), TestInputs.distinct(5, 2, 3, 7, 5), 15).require(1e-7);
    }

    @Test
    void paddingMustBeSmallerThanTheKernel() {
        assertThrows(IllegalArgumentException.class, () -> new PaddedMaxPool2D(2, 1, 2));
    }

    @Test
    void wrongGradientShapeNamesTheLayer() {
        PaddedMaxPool2D pool = new PaddedMaxPool2D(3, 1, 1);
        pool.forward(Tensor.zeros(1, 2, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.backward(Tensor.zeros(1, 2, 2, 2)));
        assertTrue(e.getMessage().contains("PaddedMaxPool2D") && e.getMessage().contains("(1, 2, 4, 4)"), e.getMessage());
    }
}
