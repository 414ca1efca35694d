package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.check.GradReport;
import cnnkit.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseTest {
    private static final double TOL = 1e-12;

    /** Dense(3->2) with W = [[1, 0], [0, 1], [1, -1]] and b = [0.5, -1]. */
    private static Dense handLayer() {
        Dense layer = new Dense(3, 2);
        double[] w = layer.params().get(0).value().data();
        System.arraycopy(new double[] {1, 0, 0, 1, 1, -1}, 0, w, 0, 6);
        double[] b = layer.params().get(1).value().data();
        b[0] = 0.5;
        b[1] = -1;
        return layer;
    }

    private static final Tensor X = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void forwardByHand() {
        Tensor y = handLayer().forward(X);
        // row 1: [1 + 3, 2 - 3] + b = [4.5, -2]; row 2: [4 + 6, 5 - 6] + b = [10.5, -2]
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new double[] {4.5, -2, 10.5, -2}, y.data(), TOL);
    }

    @Test
    void backwardByHand() {
        Dense layer = handLayer();
        layer.forward(X);
        Tensor dOut = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor dx = layer.backward(dOut);
        // dW = X^T dOut: row i = x[0][i] * [1, 2] + x[1][i] * [3, 4]
        assertArrayEquals(new double[] {13, 18, 17, 24, 21, 30}, layer.weight().grad().data(), TOL);
        // db = column sums of dOut
        assertArrayEquals(new double[] {4, 6}, layer.bias().grad().data(), TOL);
        // dX = dOut W^T with W^T = [[1, 0, 1], [0, 1, -1]]
        assertArrayEquals(new int[] {2, 3}, dx.shape());
        assertArrayEquals(new double[] {1, 2, -1, 3, 4, -1}, dx.data(), TOL);
        assertArrayEquals(new double[] {1, 2, 3, 4}, dOut.data(), "dOut unchanged");
    }

    @Test
    void gradientsAccumulate() {
        Dense layer = handLayer();
        layer.forward(X);
        Tensor dOut = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        layer.backward(dOut);
        layer.backward(dOut);
        assertArrayEquals(new double[] {26, 36, 34, 48, 42, 60}, layer.weight().grad().data(), TOL);
        assertArrayEquals(new double[] {8, 12}, layer.bias().grad().data(), TOL);
    }

    @Test
    void weightIsInByOut() {
        Dense layer = new Dense(5, 3);
        assertArrayEquals(new int[] {5, 3}, layer.params().get(0).shape());
        assertArrayEquals(new int[] {3}, layer.params().get(1).shape());
        assertEquals("weight", layer.params().get(0).name());
        assertEquals("bias", layer.params().get(1).name());
        assertEquals(18, layer.paramCount());
        assertEquals("Dense(5->3)", layer.toString());
    }

    @Test
    void gradCheck() {
        Dense layer = new Dense(4, 3, new Random(1));
        layer.bias().value().data()[1] = 0.3;
        GradReport report = GradCheck.check(layer, Tensor.randn(2, 5, 4), 3);
        assertTrue(report.maxError() < 1e-7, report::toString);
    }

    @Test
    void wrongInputSizeNamesTheLayerAndBothShapes() {
        Dense layer = new Dense(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("Dense(3->2)"), e.getMessage());
        assertTrue(e.getMessage().contains("(N, 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 4)"), e.getMessage());
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 3, 1, 1)));
        assertTrue(image.getMessage().contains("Flatten"), "suggests the missing Flatten: " + image.getMessage());
    }

    @Test
    void backwardErrors() {
        Dense layer = new Dense(3, 2);
        IllegalStateException before = assertThrows(IllegalStateException.class,
                () -> layer.backward(Tensor.zeros(2, 2)));
        assertTrue(before.getMessage().contains("Dense(3->2)"));
        layer.forward(X);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.backward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, 2));
    }

    @Test
    void aNullRandomIsRefusedNamingTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dense(3, 2, null));
        assertTrue(e.getMessage().startsWith("Dense: the Random for the initial weights is null"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> new Conv2D(1, 2, 3, 1, 0, null));
        assertTrue(c.getMessage().startsWith("Conv2D: "), c.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> new ConvTranspose2D(1, 2, 3, 1, 0, null));
        assertTrue(t.getMessage().startsWith("ConvTranspose2D: the Random"), t.getMessage());
    }
}
