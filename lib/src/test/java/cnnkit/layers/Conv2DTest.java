package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.check.GradReport;
import cnnkit.tensor.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2DTest {
    private static final double TOL = 1e-12;

    /** The two implementations; every hand-computed case runs through both. */
    enum Path {
        NAIVE, IM2COL;

        Tensor forward(Conv2D layer, Tensor x) {
            return this == NAIVE ? Paths.teachingForward(layer, x) : Paths.engineForward(layer, x);
        }

        Tensor backward(Conv2D layer, Tensor dOut) {
            return this == NAIVE ? Paths.teachingBackward(layer, dOut) : Paths.engineBackward(layer, dOut);
        }
    }

    /** A Conv2D whose forward/backward are the teaching loops, so GradCheck can test them too. */
    static final class NaiveConv2D extends Conv2D {
        NaiveConv2D(int in, int out, int kernel, int stride, int padding, Random rng) {
            super(in, out, kernel, stride, padding, rng);
            useEngine(false);
        }
    }

    // ---------------------------------------------------------------- the seed's worked example

    /** X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] as (1, 1, 3, 3). */
    private static Tensor seedInput() {
        return Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    }

    /** A 3x3 "same" convolution (padding 1, stride 1) with the given kernels and zero bias. */
    private static Conv2D seedLayer(double[]... kernels) {
        Conv2D layer = new Conv2D(1, kernels.length, 3, 1, 1);
        double[] w = layer.params().get(0).value().data();
        for (int f = 0; f < kernels.length; f++) {
            System.arraycopy(kernels[f], 0, w, f * 9, 9);
        }
        layer.params().get(1).value().fill(0.0);
        return layer;
    }

    private static void assertValues(double[] expected, Tensor actual, int... shape) {
        assertArrayEquals(shape, actual.shape());
        assertArrayEquals(expected, actual.data(), TOL);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double[] scale(double s, double[] a) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= s;
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void edgeKernel(Path path) {
        Conv2D layer = seedLayer(new double[] {1, 0, -1, 1, 0, -1, 1, 0, -1});
        Tensor out = path.forward(layer, seedInput());
        // Each output is (left column sum) - (right column sum) of its padded window,
        // e.g. top-left: (0 + 0 + 0) - (0 + 2 + 5) = -7; centre: (1 + 4 + 7) - (3 + 6 + 9) = -6.
        assertValues(new double[] {-7, -4, 7, -15, -6, 15, -13, -4, 13}, out, 1, 1, 3, 3);
        assertEquals("[[[[ -7.  -4.   7.]\n   [-15.  -6.  15.]\n   [-13.  -4.  13.]]]]", out.toString());
    }

    /** With an all-ones kernel each output is the sum of the 3x3 neighbourhood of X. */
    private static final double[] NEIGHBOUR_SUMS = {12, 21, 16, 27, 45, 33, 24, 39, 28};

    @ParameterizedTest
    @EnumSource(Path.class)
    void onesAndTwosForwardAndBackward(Path path) {
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        Conv2D layer = seedLayer(ones, scale(2, ones));
        Tensor out = path.forward(layer, seedInput());
        assertValues(concat(NEIGHBOUR_SUMS, scale(2, NEIGHBOUR_SUMS)), out, 1, 2, 3, 3);

        Tensor dx = path.backward(layer, Tensor.ones(1, 2, 3, 3));
        // dW[f][ki][kj] = sum of X over the positions that kernel cell touches: again neighbour sums.
        assertValues(concat(NEIGHBOUR_SUMS, NEIGHBOUR_SUMS), layer.params().get(0).grad(), 2, 1, 3, 3);
        // db[f] = number of output positions = 9.
        assertValues(new double[] {9, 9}, layer.params().get(1).grad(), 2);
        // dX[p] = (windows covering p: corner 4, edge 6, centre 9) x (1 + 2).
        assertValues(new double[] {12, 18, 12, 18, 27, 18, 12, 18, 12}, dx, 1, 1, 3, 3);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void asymmetricKernelsForwardAndBackward(Path path) {
        double[] k2 = {2, 1, 1, 1, 1, 1, 1, 1, 1};
        double[] k3 = {3, 1, 1, 1, 1, 1, 1, 1, 1};
        Conv2D layer = seedLayer(k2, k3);
        Tensor out = path.forward(layer, seedInput());
        // Neighbour sum plus (w00 - 1) times the pixel up-left of each output (0 on the padding).
        double[] upLeft = {0, 0, 0, 0, 1, 2, 0, 4, 5};
        double[] f0 = NEIGHBOUR_SUMS.clone();
        double[] f1 = NEIGHBOUR_SUMS.clone();
        for (int i = 0; i < 9; i++) {
            f0[i] += 1 * upLeft[i];
            f1[i] += 2 * upLeft[i];
        }
        assertArrayEquals(new double[] {12, 21, 16, 27, 46, 35, 24, 43, 33}, f0);
        assertArrayEquals(new double[] {12, 21, 16, 27, 47, 37, 24, 47, 38}, f1);
        assertValues(concat(f0, f1), out, 1, 2, 3, 3);

        Tensor dx = path.backward(layer, Tensor.ones(1, 2, 3, 3));
        // dW does not depend on W: same neighbour sums as before.
        assertValues(concat(NEIGHBOUR_SUMS, NEIGHBOUR_SUMS), layer.params().get(0).grad(), 2, 1, 3, 3);
        assertValues(new double[] {9, 9}, layer.params().get(1).grad(), 2);
        // Summed kernel [[5,2,2],[2,2,2],[2,2,2]]; pixel p receives the kernel cells whose windows
        // cover it, e.g. top-left: cells (1,1),(1,0),(0,1),(0,0) = 2 + 2 + 2 + 5 = 11.
        assertValues(new double[] {11, 15, 8, 15, 21, 12, 8, 12, 8}, dx, 1, 1, 3, 3);
    }

    // ---------------------------------------------------------------- an independent reference

    /** Straight from the definition: pad X with zeros explicitly, then sum window * kernel. */
    private static Tensor referenceForward(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int f = w.dim(0);
        int k = w.dim(2);
        double[][][][] xp = new double[n][c][h + 2 * pad][wd + 2 * pad];
        for (int a = 0; a < n; a++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        xp[a][ch][i + pad][j + pad] = x.get(a, ch, i, j);
                    }
                }
            }
        }
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (wd + 2 * pad - k) / stride + 1;
        Tensor out = Tensor.zeros(n, f, oh, ow);
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < f; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = b.get(o);
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    s += xp[a][ch][i * stride + u][j * stride + v] * w.get(o, ch, u, v);
                                }
                            }
                        }
                        out.set(s, a, o, i, j);
                    }
                }
            }
        }
        return out;
    }

    /** One case: batch n, channels c, input h x w, f filters, kernel, stride, padding. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 5, 5, 1, 3, 2, 1),  // stride 2, padding 1
                Arguments.of(2, 2, 5, 7, 3, 3, 1, 2),  // non-square, padding 2, batch, C > 1, F > 1
                Arguments.of(2, 3, 4, 4, 2, 1, 1, 0),  // 1x1 kernel
                Arguments.of(2, 1, 6, 5, 2, 5, 1, 2),  // 5x5 kernel
                Arguments.of(1, 2, 6, 6, 2, 3, 2, 0),  // stride 2 leaves the last column unused
                Arguments.of(1, 2, 7, 5, 2, 2, 3, 1),  // stride 3: partial windows on both axes
                Arguments.of(3, 1, 3, 3, 1, 3, 1, 0)); // a single output position
    }

    private static Conv2D randomLayer(boolean naive, int c, int f, int k, int stride, int pad, long seed) {
        Random rng = new Random(seed);
        Conv2D layer = naive ? new NaiveConv2D(c, f, k, stride, pad, rng) : new Conv2D(c, f, k, stride, pad, rng);
        double[] b = layer.bias().value().data();
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian(); // a non-zero bias, so forward really adds it
        }
        return layer;
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} F={4} k={5} s={6} p={7}")
    @MethodSource("shapes")
    void bothPathsMatchTheReferenceForward(int n, int c, int h, int w, int f, int k, int s, int p) {
        Conv2D layer = randomLayer(false, c, f, k, s, p, 11);
        Tensor x = Tensor.randn(12, n, c, h, w);
        Tensor expected = referenceForward(x, layer.weight().value(), layer.bias().value(), s, p);
        assertArrayEquals(layer.outputShape(x.shape()), expected.shape());
        assertTrue(expected.allClose(Paths.teachingForward(layer, x), TOL), "naive");
        assertTrue(expected.allClose(Paths.engineForward(layer, x), TOL), "engine");
        assertTrue(expected.allClose(layer.forward(x), TOL), "forward");
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} F={4} k={5} s={6} p={7}")
    @MethodSource("shapes")
    void naiveAndIm2colBackwardAgree(int n, int c, int h, int w, int f, int k, int s, int p) {
        Conv2D layer = randomLayer(false, c, f, k, s, p, 21);
        Tensor x = Tensor.randn(22, n, c, h, w);
        Tensor g = Tensor.randn(23, layer.outputShape(x.shape()));

        layer.zeroGrad();
        Paths.teachingForward(layer, x);
        Tensor dxNaive = Paths.teachingBackward(layer, g);
        Tensor dwNaive = layer.weight().grad().copy();
        Tensor dbNaive = layer.bias().grad().copy();

        layer.zeroGrad();
        Paths.engineForward(layer, x);
        Tensor dxFast = Paths.engineBackward(layer, g);

        assertArrayEquals(x.shape(), dxFast.shape());
        assertTrue(dxNaive.allClose(dxFast, TOL), "dX");
        assertTrue(dwNaive.allClose(layer.weight().grad(), TOL), "dW");
        assertTrue(dbNaive.allClose(layer.bias().grad(), TOL), "db");
        assertTrue(dxNaive.norm() > 0 && dwNaive.norm() > 0, "the comparison is not trivially 0 = 0");
    }

    @ParameterizedTest(name = "N={0} C={1} {2}x{3} F={4} k={5} s={6} p={7}")
    @MethodSource("shapes")
    void gradCheckBothPaths(int n, int c, int h, int w, int f, int k, int s, int p) {
        for (boolean naive : new boolean[] {false, true}) {
            Conv2D layer = randomLayer(naive, c, f, k, s, p, 31);
            GradReport report = GradCheck.check(layer, Tensor.randn(32, n, c, h, w), 33);
            assertEquals(3, report.entries().size(), "input, weight, bias");
            assertTrue(report.maxError() < 1e-7, (naive ? "naive " : "im2col ") + report);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void gradientsAccumulateOverBackwardCalls(Path path) {
        Conv2D layer = randomLayer(false, 2, 3, 3, 2, 1, 41);
        Tensor x = Tensor.randn(42, 2, 2, 5, 4);
        Tensor g = Tensor.randn(43, layer.outputShape(x.shape()));
        layer.zeroGrad();
        path.forward(layer, x);
        path.backward(layer, g);
        Tensor dw1 = layer.weight().grad().copy();
        Tensor db1 = layer.bias().grad().copy();
        path.backward(layer, g);
        assertTrue(dw1.mul(2).allClose(layer.weight().grad(), TOL), "dW doubles");
        assertTrue(db1.mul(2).allClose(layer.bias().grad(), TOL), "db doubles");
        layer.zeroGrad();
        assertEquals(0, layer.weight().grad().norm());
        assertEquals(0, layer.bias().grad().norm());
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void neitherPassModifiesItsArguments(Path path) {
        Conv2D layer = randomLayer(false, 2, 2, 3, 1, 1, 51);
        Tensor x = Tensor.randn(52, 1, 2, 4, 4);
        Tensor xCopy = x.copy();
        Tensor w = layer.weight().value().copy();
        path.forward(layer, x);
        Tensor g = Tensor.randn(53, 1, 2, 4, 4);
        Tensor gCopy = g.copy();
        path.backward(layer, g);
        assertEquals(gCopy, g, "dOut unchanged");
        assertEquals(xCopy, x, "x unchanged");
        assertEquals(w, layer.weight().value(), "backward never updates weights");
    }

    // ---------------------------------------------------------------- bad input

    private static void assertNames(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void wrongChannelsOrRank(Path path) {
        Conv2D layer = new Conv2D(2, 4, 3, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> path.forward(layer, Tensor.zeros(1, 3, 5, 5)));
        assertNames(e, "Conv2D(2->4", "(N, 2, H, W)", "(1, 3, 5, 5)");
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> path.forward(layer, Tensor.zeros(2, 5, 5)));
        assertNames(rank, "Conv2D(", "(2, 5, 5)");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void inputSmallerThanKernel(Path path) {
        Conv2D layer = new Conv2D(1, 1, 5, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> path.forward(layer, Tensor.zeros(1, 1, 3, 4)));
        assertNames(e, "Conv2D(1->1, kernel=5", "(1, 1, 3, 4)", "5x5", "3x4");
        // With padding 1 the padded input is 5x6: big enough.
        assertArrayEquals(new int[] {1, 1, 1, 2}, path.forward(new Conv2D(1, 1, 5, 1, 1), Tensor.zeros(1, 1, 3, 4)).shape());
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void backwardBeforeForward(Path path) {
        Conv2D layer = new Conv2D(1, 1, 3, 1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> path.backward(layer, Tensor.zeros(1, 1, 3, 3)));
        assertNames(e, "Conv2D(", "before forward");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void dOutOfTheWrongShape(Path path) {
        Conv2D layer = new Conv2D(1, 2, 3, 1, 1);
        path.forward(layer, Tensor.zeros(1, 1, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> path.backward(layer, Tensor.zeros(1, 1, 3, 3)));
        assertNames(e, "Conv2D(1->2", "(1, 2, 3, 3)", "(1, 1, 3, 3)");
    }

    @Test
    void badHyperParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 1, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(1, 1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(1, 1, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(1, 1, 3, 1, -1));
    }

    // ---------------------------------------------------------------- the rest of the API

    @Test
    void paramsShapesAndDescription() {
        Conv2D layer = new Conv2D(3, 8, 5, 2, 1);
        assertEquals(2, layer.params().size());
        assertEquals("weight", layer.params().get(0).name());
        assertEquals("bias", layer.params().get(1).name());
        assertArrayEquals(new int[] {8, 3, 5, 5}, layer.weight().shape());
        assertArrayEquals(new int[] {8}, layer.bias().shape());
        assertEquals(8 * 3 * 25 + 8, layer.paramCount());
        assertEquals("Conv2D(3->8, kernel=5, stride=2, padding=1)", layer.toString());
        // (32 + 2 - 5) / 2 + 1 = 15 and (20 + 2 - 5) / 2 + 1 = 9
        assertArrayEquals(new int[] {4, 8, 15, 9}, layer.outputShape(new int[] {4, 3, 32, 20}));
    }

    @Test
    void initialWeightsComeFromTheSeed() {
        assertEquals(new Conv2D(2, 3, 3, 1, 0, new Random(5)).weight().value(),
                new Conv2D(2, 3, 3, 1, 0, new Random(5)).weight().value());
        assertNotEquals(new Conv2D(2, 3, 3, 1, 0, new Random(5)).weight().value(),
                new Conv2D(2, 3, 3, 1, 0, new Random(6)).weight().value());
        assertEquals(0, new Conv2D(2, 3, 3, 1, 0).bias().value().norm(), "bias starts at zero");
    }
}
