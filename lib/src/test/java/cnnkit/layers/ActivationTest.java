package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ActivationTest {
    private static final double TOL = 1e-7;

    @Test
    void tanhValues() {
        Tensor y = new Tanh().forward(Tensor.of(new double[] {0, 1, -2}, 3));
        // tanh(1) = (e^2 - 1) / (e^2 + 1)
        double e2 = Math.E * Math.E;
        double e4 = e2 * e2;
        assertArrayEquals(new double[] {0, (e2 - 1) / (e2 + 1), -(e4 - 1) / (e4 + 1)}, y.data(), 1e-15);
    }

    @Test
    void sigmoidValuesAndNoOverflow() {
        Tensor y = new Sigmoid().forward(Tensor.of(new double[] {0, Math.log(3), -1000, 1000}, 4));
        // sigmoid(ln 3) = 1 / (1 + 1/3) = 0.75
        assertArrayEquals(new double[] {0.5, 0.75, 0.0, 1.0}, y.data(), 1e-15);
    }

    @Test
    void tanhGradient() {
        GradCheck.check(new Tanh(), Tensor.randn(1, 3, 2, 3, 5), 21).require(TOL);
    }

    @Test
    void sigmoidGradient() {
        GradCheck.check(new Sigmoid(), Tensor.randn(2, 3, 7), 22).require(TOL);
    }

    @Test
    void softmaxRowsSumToOneAndMatchHandValues() {
        // row 0: logits 0, ln 2, ln 5 -> weights 1, 2, 5 out of 8; row 1: equal logits -> thirds
        Tensor x = Tensor.of(new double[] {0, Math.log(2), Math.log(5), 7, 7, 7}, 2, 3);
        Tensor s = new Softmax().forward(x);
        assertArrayEquals(new double[] {1 / 8.0, 2 / 8.0, 5 / 8.0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, s.data(), 1e-15);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor s = new Softmax().forward(Tensor.of(new double[] {1000, 1000 + Math.log(3)}, 1, 2));
        assertArrayEquals(new double[] {0.25, 0.75}, s.data(), 1e-12);
    }

    @Test
    void softmaxRowsSumToOne() {
        Tensor s = new Softmax().forward(Tensor.randn(3, 4, 6).mul(5.0));
        for (int r = 0; r < 4; r++) {
            double sum = 0;
            for (int j = 0; j < 6; j++) {
                sum += s.get(r, j);
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    @Test
    void softmaxBackwardByHand() {
        // s = (1/4, 3/4), g = (1, 0): sum g*s = 1/4, dX = s * (g - 1/4) = (3/16, -3/16)
        Softmax softmax = new Softmax();
        softmax.forward(Tensor.of(new double[] {0, Math.log(3)}, 1, 2));
        Tensor dx = softmax.backward(Tensor.of(new double[] {1, 0}, 1, 2));
        assertArrayEquals(new double[] {3 / 16.0, -3 / 16.0}, dx.data(), 1e-15);
    }

    @Test
    void softmaxGradient() {
        GradCheck.check(new Softmax(), Tensor.randn(4, 3, 5), 23).require(TOL);
    }

    @Test
    void softmaxNeedsRank2() {
        Softmax softmax = new Softmax();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> softmax.forward(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("Softmax") && e.getMessage().contains("(N, K)")
                && e.getMessage().contains("(2, 3, 4)"), e.getMessage());
    }

    @Test
    void gradientShapeIsChecked() {
        Tanh tanh = new Tanh();
        tanh.forward(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tanh.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("Tanh") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(3, 2)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Sigmoid().backward(Tensor.zeros(1)));
    }
}
