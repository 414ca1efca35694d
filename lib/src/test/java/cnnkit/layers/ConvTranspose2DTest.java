package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.check.GradReport;
import cnnkit.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvTranspose2DTest {
    @Test
    void strideTwoPlacesOneScaledKernelPerInputValue() {
        // 2x2 input, 2x2 kernel [[1, 2], [3, 4]], stride 2: each value stamps its own 2x2 block.
        ConvTranspose2D up = new ConvTranspose2D(1, 1, 2, 2, 0);
        System.arraycopy(new double[] {1, 2, 3, 4}, 0, up.weight().value().data(), 0, 4);
        up.bias().value().fill(0.5);
        Tensor y = up.forward(Tensor.of(new double[] {1, 10, 100, 1000}, 1, 1, 2, 2));
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
        assertArrayEquals(new double[] {
            1.5, 2.5, 10.5, 20.5,
            3.5, 4.5, 30.5, 40.5,
            100.5, 200.5, 1000.5, 2000.5,
            300.5, 400.5, 3000.5, 4000.5}, y.data(), 0.0);
    }

    @Test
    void overlappingWindowsAddUp() {
        // 1-D in effect: input [1, 1], kernel 3 of ones, stride 1 -> [1, 2, 2, 1] in each row
        ConvTranspose2D up = new ConvTranspose2D(1, 1, 3, 1, 0);
        up.weight().value().fill(1);
        Tensor y = up.forward(Tensor.ones(1, 1, 1, 2));
        assertArrayEquals(new int[] {1, 1, 3, 4}, y.shape());
        assertArrayEquals(new double[] {1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2, 1}, y.data(), 0.0);
    }

    @Test
    void forwardIsTheInputGradientOfTheMatchingConvolution() {
        int c = 2, f = 3, k = 3, s = 2, p = 1;
        ConvTranspose2D up = new ConvTranspose2D(c, f, k, s, p, new Random(5));
        Tensor x = Tensor.randn(6, 2, c, 4, 5);
        Tensor y = up.forward(x);
        assertArrayEquals(new int[] {2, f, 7, 9}, y.shape());
        // Conv2D(f -> c) has weight (c, f, k, k): the same layout, so the same numbers can be shared.
        Conv2D conv = new Conv2D(f, c, k, s, p);
        System.arraycopy(up.weight().value().data(), 0, conv.weight().value().data(), 0, up.weight().size());
        conv.forward(Tensor.zeros(2, f, 7, 9));
        Tensor dxOfConv = conv.backward(x);
        assertTrue(dxOfConv.allClose(y, 1e-12), "transposed conv forward = conv backward");
    }

    @Test
    void gradientsMatchCentredDifferences() {
        ConvTranspose2D up = new ConvTranspose2D(2, 3, 3, 2, 1, new Random(1));
        up.bias().value().data()[1] = 0.3;
        GradReport r = GradCheck.check(up, GradCheck.distinctValues(2, 2, 2, 3, 4), 3);
        assertTrue(r.passed(1e-7), r.toString());
    }

    @Test
    void backwardAccumulatesIntoTheParameterGradients() {
        ConvTranspose2D up = new ConvTranspose2D(1, 2, 2, 1, 0, new Random(1));
        Tensor x = Tensor.randn(2, 1, 1, 3, 3);
        Tensor g = Tensor.randn(3, up.forward(x).shape());
        up.zeroGrad();
        up.backward(g);
        Tensor once = up.weight().grad().copy();
        up.backward(g);
        assertTrue(up.weight().grad().allClose(once.mul(2), 1e-12));
    }

    @Test
    void badInputNamesTheLayerAndTheShapes() {
        ConvTranspose2D up = new ConvTranspose2D(2, 1, 3, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> up.forward(Tensor.zeros(1, 3, 4, 4)));
        assertTrue(e.getMessage().contains("ConvTranspose2D") && e.getMessage().contains("(1, 3, 4, 4)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ConvTranspose2D(1, 1, 2, 1, 0).backward(Tensor.zeros(1, 1, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2D(1, 1, 2, 1, 2));
    }
}
