package cnnkit.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MSELossTest {
    @Test
    void valueAndGradientByHand() {
        MSELoss mse = new MSELoss();
        Tensor pred = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor target = Tensor.of(new double[] {0, 2, 5, 1}, 2, 2);
        // differences 1, 0, -2, 3; squares 1 + 0 + 4 + 9 = 14; mean 14 / 4
        assertEquals(3.5, mse.forward(pred, target), 1e-15);
        Tensor grad = mse.backward();
        // 2 (p - y) / 4
        assertArrayEquals(new int[] {2, 2}, grad.shape());
        assertArrayEquals(new double[] {0.5, 0, -1, 1.5}, grad.data(), 1e-15);
        assertArrayEquals(new double[] {1, 2, 3, 4}, pred.data(), "prediction unchanged");
    }

    @Test
    void gradientMatchesCentredDifferences() {
        MSELoss mse = new MSELoss();
        Tensor pred = Tensor.randn(1, 3, 4);
        Tensor target = Tensor.randn(2, 3, 4);
        Tensor numeric = GradCheck.numeric(() -> mse.forward(pred, target), pred);
        mse.forward(pred, target);
        assertTrue(GradCheck.relError(mse.backward(), numeric) < 1e-7);
    }

    @Test
    void errors() {
        MSELoss mse = new MSELoss();
        assertThrows(IllegalStateException.class, mse::backward);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mse.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("MSELoss") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(3, 2)"), e.getMessage());
    }
}
