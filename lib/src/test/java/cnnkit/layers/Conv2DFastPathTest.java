package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's convolution computes what Conv2D's teaching loops compute, at many shapes. */
class Conv2DFastPathTest {
    /** {batch, inChannels, outChannels, height, width, kernel, stride, padding}. */
    private static final int[][] CASES = {
        {1, 1, 1, 3, 3, 3, 1, 0},
        {2, 1, 6, 12, 12, 5, 1, 0},    // LeNet conv1, smaller image (C k k = 25: dot-product weight gradient)
        {3, 6, 16, 9, 9, 5, 1, 0},     // LeNet conv2, smaller image (C k k = 150, 16 filters: transposed weight gradient)
        {2, 3, 4, 7, 5, 3, 1, 1},      // non-square
        {3, 2, 3, 8, 8, 3, 2, 1},      // stride 2, as in ResNet downsampling
        {2, 4, 5, 6, 6, 1, 2, 0},      // 1x1 shortcut with stride 2
        {1, 2, 2, 7, 7, 3, 3, 2},      // stride 3, wide padding
        {2, 1, 2, 4, 4, 4, 1, 3},      // padding near the kernel size
        {11, 2, 3, 5, 5, 3, 1, 1},     // more images than gradient groups, uneven split
        {9, 3, 2, 4, 6, 2, 2, 0},      // even kernel
        {2, 5, 7, 3, 3, 3, 1, 1},      // map as small as the kernel
        {20, 3, 32, 4, 4, 3, 1, 1},    // many filters; tiny maps: many images per block
        {5, 4, 33, 6, 6, 3, 2, 1},     // odd filter count, stride 2, C k k = 36: transposed weight gradient
        {2, 8, 12, 6, 6, 3, 1, 1},     // few filters, C k k = 72: weight gradient against transposed columns
        {3, 2, 40, 9, 9, 1, 1, 0},     // 1x1
        {2, 3, 17, 30, 30, 3, 1, 1},   // a larger map: 900 output positions, one image per block
        {2, 2, 4, 50, 46, 3, 2, 1},    // stride 2 on a larger non-square map
    };

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(seed, shape);
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        double[] e = expected.data();
        double[] a = actual.data();
        assertEquals(e.length, a.length, what + ": size");
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= 1e-12 * Math.max(1.0, Math.abs(e[i])),
                    what + ": element " + i + " expected " + e[i] + " got " + a[i]);
        }
    }

    private static Conv2D conv(int[] c, long seed) {
        Conv2D layer = new Conv2D(c[1], c[2], c[5], c[6], c[7], new Random(seed));
        // A non-zero bias, so that adding it is tested too.
        double[] bias = layer.bias().value().data();
        for (int f = 0; f < bias.length; f++) {
            bias[f] = 0.1 * (f + 1);
        }
        return layer;
    }

    @Test
    void forwardFastEqualsNaive() {
        for (int[] c : CASES) {
            Conv2D layer = conv(c, 7);
            Tensor x = randn(11, c[0], c[1], c[3], c[4]);
            assertClose(Paths.teachingForward(layer, x), Paths.engineForward(layer, x), layer + " forward");
        }
    }

    @Test
    void backwardFastEqualsNaiveAndAccumulates() {
        for (int[] c : CASES) {
            Conv2D naive = conv(c, 7);
            Conv2D fast = conv(c, 7);
            Tensor x = randn(11, c[0], c[1], c[3], c[4]);
            Tensor y = Paths.teachingForward(naive, x);
            Paths.engineForward(fast, x);
            Tensor g = randn(13, y.shape());
            // Gradients accumulate: start both from the same non-zero values.
            Tensor preW = randn(17, naive.weight().shape());
            Tensor preB = randn(19, naive.bias().shape());
            for (Conv2D layer : new Conv2D[] {naive, fast}) {
                System.arraycopy(preW.data(), 0, layer.weight().grad().data(), 0, preW.size());
                System.arraycopy(preB.data(), 0, layer.bias().grad().data(), 0, preB.size());
            }
            Tensor dxNaive = Paths.teachingBackward(naive, g);
            Tensor dxFast = Paths.engineBackward(fast, g);
            assertClose(dxNaive, dxFast, fast + " dX");
            assertClose(naive.weight().grad(), fast.weight().grad(), fast + " dW");
            assertClose(naive.bias().grad(), fast.bias().grad(), fast + " db");
            assertArrayEquals(g.data(), randn(13, y.shape()).data(), 0.0, "dOut must not be modified");
        }
    }

    @Test
    void fastPathIsBitIdenticalFromRunToRun() {
        int[] c = {16, 4, 8, 10, 10, 3, 1, 1};
        Tensor x = randn(21, c[0], c[1], c[3], c[4]);
        Conv2D first = conv(c, 9);
        Tensor y = first.forward(x);
        Tensor g = randn(22, y.shape());
        Tensor dx = first.backward(g);
        for (int run = 0; run < 3; run++) {
            Conv2D again = conv(c, 9);
            assertArrayEquals(y.data(), again.forward(x).data(), 0.0);
            assertArrayEquals(dx.data(), again.backward(g).data(), 0.0);
            assertArrayEquals(first.weight().grad().data(), again.weight().grad().data(), 0.0);
            assertArrayEquals(first.bias().grad().data(), again.bias().grad().data(), 0.0);
        }
    }

    @Test
    void layerReusedAcrossBatchSizesAndShapes() {
        // Buffers are reused between calls; a smaller batch or a different image size must not see stale values.
        Conv2D layer = new Conv2D(2, 3, 3, 1, 1, new Random(4));
        for (int[] s : new int[][] {{12, 9, 9}, {3, 5, 7}, {12, 9, 9}, {1, 4, 4}}) {
            Tensor x = randn(s[0] + s[1], s[0], 2, s[1], s[2]);
            Tensor y = layer.forward(x);
            assertClose(Paths.teachingForward(layer, x), y, "forward " + java.util.Arrays.toString(s));
            Tensor g = randn(3, y.shape());
            layer.zeroGrad();
            Tensor dxFast = layer.backward(g);
            double[] dwFast = layer.weight().grad().data().clone();
            layer.zeroGrad();
            Tensor dxNaive = Paths.teachingBackward(layer, g);
            assertClose(dxNaive, dxFast, "dX " + java.util.Arrays.toString(s));
            assertClose(layer.weight().grad(), Tensor.of(dwFast, layer.weight().shape()), "dW " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void fastPathAgreesWithIm2colInTrainingAndEvaluationMode() {
        // Includes a batch of 32x32 maps, where every image is a block of its own.
        int[][] cases = {{6, 2, 3, 10, 10, 3, 1, 1}, {30, 8, 4, 32, 32, 3, 1, 1}};
        for (int[] c : cases) {
            Tensor x = randn(41, c[0], c[1], c[3], c[4]);
            Conv2D reference = conv(c, 12);
            Tensor y = Paths.engineForward(reference, x);
            Tensor g = randn(42, y.shape());
            Tensor dxRef = Paths.engineBackward(reference, g);
            for (boolean training : new boolean[] {true, false}) {
                Conv2D layer = conv(c, 12);
                if (!training) {
                    layer.eval();
                }
                assertClose(y, layer.forward(x), layer + " forward, training=" + training);
                layer.train();
                assertClose(dxRef, layer.backward(g), layer + " dX, training=" + training);
                assertClose(reference.weight().grad(), layer.weight().grad(), layer + " dW, training=" + training);
            }
        }
    }

    @Test
    void fastPathPassesGradientCheck() {
        Conv2D layer = new Conv2D(2, 3, 3, 2, 1, new Random(8));
        Tensor x = randn(31, 3, 2, 5, 5);
        GradCheck.check(layer, x, 32).require(1e-7);
    }

    @Test
    void badGradientShapeNamesTheLayer() {
        Conv2D layer = new Conv2D(1, 2, 3, 1, 0);
        layer.forward(randn(1, 2, 1, 5, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.backward(Tensor.zeros(2, 2, 4, 4)));
        assertTrue(e.getMessage().contains("Conv2D"), e.getMessage());
    }
}
