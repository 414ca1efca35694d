package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Layers whose loops are split over the cores give, on tensors big enough to be split, exactly
 * what a plain single loop gives.
 */
class ParallelLayersTest {
    private static final Tensor X = Tensor.randn(1, 16, 8, 12, 12);  // 128 planes, 18,432 values

    @Test
    void avgPoolMatchesPlainLoops() {
        AvgPool2D pool = new AvgPool2D(2, 2);
        Tensor y = pool.forward(X);
        Tensor g = Tensor.randn(2, y.shape());
        Tensor dx = pool.backward(g);
        double[] x = X.data();
        for (int p = 0; p < 16 * 8; p++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    int o = (p * 6 + i) * 6 + j;
                    int t = (p * 12 + 2 * i) * 12 + 2 * j;
                    assertEquals((x[t] + x[t + 1] + x[t + 12] + x[t + 13]) / 4, y.data()[o], 1e-15, "output " + o);
                    for (int d : new int[] {t, t + 1, t + 12, t + 13}) {
                        assertEquals(g.data()[o] / 4, dx.data()[d], 0.0, "dx " + d);
                    }
                }
            }
        }
    }

    @Test
    void avgPool2x2OnOddSizesDropsTheLastRowAndColumn() {
        Tensor x = Tensor.randn(6, 3, 2, 7, 9);
        AvgPool2D pool = new AvgPool2D(2, 2);
        Tensor y = pool.forward(x);
        assertEquals(java.util.Arrays.toString(new int[] {3, 2, 3, 4}), java.util.Arrays.toString(y.shape()));
        Tensor g = Tensor.randn(7, y.shape());
        Tensor dx = pool.backward(g);
        double[] expectedDx = new double[x.size()];
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    int o = (p * 3 + i) * 4 + j;
                    int t = (p * 7 + 2 * i) * 9 + 2 * j;
                    double[] xd = x.data();
                    assertEquals((xd[t] + xd[t + 1] + xd[t + 9] + xd[t + 10]) / 4, y.data()[o], 1e-15, "output " + o);
                    for (int d : new int[] {t, t + 1, t + 9, t + 10}) {
                        expectedDx[d] += g.data()[o] / 4;
                    }
                }
            }
        }
        for (int i = 0; i < expectedDx.length; i++) {
            assertEquals(expectedDx[i], dx.data()[i], 0.0, "dx " + i);
        }
    }

    @Test
    void maxPoolMatchesPlainLoops() {
        MaxPool2D pool = new MaxPool2D(3, 2); // overlapping windows
        Tensor y = pool.forward(X);
        Tensor g = Tensor.randn(3, y.shape());
        Tensor dx = pool.backward(g);
        double[] x = X.data();
        double[] expectedDx = new double[x.length];
        for (int p = 0; p < 16 * 8; p++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    int o = (p * 5 + i) * 5 + j;
                    int arg = (p * 12 + 2 * i) * 12 + 2 * j;
                    for (int ki = 0; ki < 3; ki++) {
                        for (int kj = 0; kj < 3; kj++) {
                            int t = (p * 12 + 2 * i + ki) * 12 + 2 * j + kj;
                            if (x[t] > x[arg]) {
                                arg = t;
                            }
                        }
                    }
                    assertEquals(x[arg], y.data()[o], 0.0, "output " + o);
                    expectedDx[arg] += g.data()[o];
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(expectedDx[i], dx.data()[i], 0.0, "dx " + i);
        }
    }

    @Test
    void tanhAndReluMatchElementwiseFormulas() {
        Tensor big = Tensor.randn(4, 3, 50_000);
        Tensor g = Tensor.randn(5, 3, 50_000);
        Tanh tanh = new Tanh();
        Tensor y = tanh.forward(big);
        Tensor dx = tanh.backward(g);
        ReLU relu = new ReLU();
        Tensor r = relu.forward(big);
        Tensor dr = relu.backward(g);
        for (int i = 0; i < big.size(); i++) {
            double v = big.data()[i];
            double t = Math.tanh(v);
            assertEquals(t, y.data()[i], 1e-14 * Math.abs(t), "tanh " + i);
            assertEquals(g.data()[i] * (1 - y.data()[i] * y.data()[i]), dx.data()[i], 0.0, "tanh backward " + i);
            assertEquals(v > 0 ? v : 0.0, r.data()[i], 0.0, "relu " + i);
            assertEquals(v > 0 ? g.data()[i] : 0.0, dr.data()[i], 0.0, "relu backward " + i);
        }
    }
}
