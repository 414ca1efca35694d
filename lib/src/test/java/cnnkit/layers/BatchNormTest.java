package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchNormTest {
    private static final double TOL = 1e-7;
    private static final double EPS = 1e-5;

    @Test
    void batchNorm1DTrainingUsesBatchStatistics() {
        // one feature, values 1..4: mean 2.5, biased variance 1.25
        BatchNorm1D bn = new BatchNorm1D(1);
        bn.gamma().value().fill(2.0);
        bn.beta().value().fill(1.0);
        Tensor y = bn.forward(Tensor.of(new double[] {1, 2, 3, 4}, 4, 1));
        double s = Math.sqrt(1.25 + EPS);
        assertArrayEquals(new double[] {1 - 3 / s, 1 - 1 / s, 1 + 1 / s, 1 + 3 / s}, y.data(), 1e-12);
        // running mean 0.9 * 0 + 0.1 * 2.5; running variance 0.9 * 1 + 0.1 * (unbiased 5/3)
        assertEquals(0.25, bn.runningMean().item(), 1e-15);
        assertEquals(0.9 + 0.1 * 5.0 / 3.0, bn.runningVar().item(), 1e-15);
    }

    @Test
    void batchNorm2DNormalisesEachChannelOverBatchAndPixels() {
        // (N=2, C=2, H=1, W=2). Channel 0 holds 1, 3 (image 0) and 5, 7 (image 1): mean 4, variance 5.
        // Channel 1 holds 10, 10 and 20, 20: mean 15, variance 25.
        Tensor x = Tensor.of(new double[] {1, 3, 10, 10, 5, 7, 20, 20}, 2, 2, 1, 2);
        Tensor y = new BatchNorm2D(2).forward(x);
        double s0 = Math.sqrt(5 + EPS);
        double s1 = Math.sqrt(25 + EPS);
        assertArrayEquals(new double[] {-3 / s0, -1 / s0, -5 / s1, -5 / s1, 1 / s0, 3 / s0, 5 / s1, 5 / s1},
                y.data(), 1e-12);
    }

    @Test
    void evalModeUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm2D bn = new BatchNorm2D(2);
        bn.runningMean().data()[0] = 1;
        bn.runningMean().data()[1] = -1;
        bn.runningVar().data()[0] = 4;
        bn.runningVar().data()[1] = 9;
        bn.gamma().value().data()[1] = 3;
        bn.beta().value().data()[0] = 0.5;
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new double[] {3, 5, 2, 8}, 1, 2, 1, 2));
        double s0 = Math.sqrt(4 + EPS);
        double s1 = Math.sqrt(9 + EPS);
        assertArrayEquals(new double[] {2 / s0 + 0.5, 4 / s0 + 0.5, 3 * 3 / s1, 3 * 9 / s1}, y.data(), 1e-12);
        assertArrayEquals(new double[] {1, -1}, bn.runningMean().data(), 0.0);
        assertArrayEquals(new double[] {4, 9}, bn.runningVar().data(), 0.0);
    }

    @Test
    void runningStatisticsApproachTheBatchStatistics() {
        BatchNorm1D bn = new BatchNorm1D(1);
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4, 1);
        for (int i = 0; i < 200; i++) {
            bn.forward(x);
        }
        // after k steps: running mean = 2.5 (1 - 0.9^k), running variance = 5/3 + (1 - 5/3) 0.9^k
        assertEquals(2.5, bn.runningMean().item(), 1e-8);
        assertEquals(5.0 / 3.0, bn.runningVar().item(), 1e-8);
    }

    @Test
    void paramsAreGammaThenBeta() {
        BatchNorm2D bn = new BatchNorm2D(3);
        List<Param> ps = bn.params();
        assertEquals("gamma", ps.get(0).name());
        assertEquals("beta", ps.get(1).name());
        assertArrayEquals(new double[] {1, 1, 1}, ps.get(0).value().data(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, ps.get(1).value().data(), 0.0);
        assertEquals(6, bn.paramCount());
    }

    private static <T extends Layer> T randomAffine(T bn, List<Param> ps, long seed) {
        ps.get(0).value().addInPlace(Tensor.randn(seed, ps.get(0).shape()).mul(0.5));
        ps.get(1).value().addInPlace(Tensor.randn(seed + 1, ps.get(1).shape()));
        return bn;
    }

    @Test
    void batchNorm2DGradientTrainMode() {
        BatchNorm2D bn = new BatchNorm2D(3);
        randomAffine(bn, bn.params(), 40);
        GradCheck.check(bn, Tensor.randn(41, 3, 3, 5, 3).mul(2.0).add(1.0), 42).require(TOL);
    }

    @Test
    void batchNorm2DGradientEvalMode() {
        BatchNorm2D bn = new BatchNorm2D(3);
        randomAffine(bn, bn.params(), 43);
        bn.forward(Tensor.randn(44, 4, 3, 3, 3).mul(3.0)); // move the running statistics off 0 and 1
        bn.eval();
        GradCheck.check(bn, Tensor.randn(45, 2, 3, 3, 5), 46).require(TOL);
    }

    @Test
    void batchNorm1DGradientTrainMode() {
        BatchNorm1D bn = new BatchNorm1D(5);
        randomAffine(bn, bn.params(), 47);
        GradCheck.check(bn, Tensor.randn(48, 7, 5).mul(2.0), 49).require(TOL);
    }

    @Test
    void batchNorm1DGradientEvalMode() {
        BatchNorm1D bn = new BatchNorm1D(5);
        randomAffine(bn, bn.params(), 50);
        bn.forward(Tensor.randn(51, 6, 5).mul(3.0));
        bn.eval();
        GradCheck.check(bn, Tensor.randn(52, 3, 5), 53).require(TOL);
    }

    @Test
    void backwardAccumulatesIntoParamGradients() {
        BatchNorm1D bn = new BatchNorm1D(2);
        Tensor x = Tensor.randn(54, 3, 2);
        Tensor g = Tensor.randn(55, 3, 2);
        bn.forward(x);
        bn.backward(g);
        Tensor once = bn.gamma().grad().copy();
        bn.forward(x);
        bn.backward(g);
        assertArrayEquals(once.mul(2.0).data(), bn.gamma().grad().data(), 1e-12);
    }

    @Test
    void wrongChannelsAreRejected() {
        BatchNorm2D bn2 = new BatchNorm2D(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn2.forward(Tensor.zeros(2, 4, 5, 5)));
        assertTrue(e.getMessage().contains("BatchNorm2D(3)") && e.getMessage().contains("(N, 3, H, W)")
                && e.getMessage().contains("(2, 4, 5, 5)"), e.getMessage());
        BatchNorm1D bn1 = new BatchNorm1D(4);
        e = assertThrows(IllegalArgumentException.class, () -> bn1.forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("BatchNorm1D(4)") && e.getMessage().contains("(N, 4)")
                && e.getMessage().contains("(2, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn1.forward(Tensor.zeros(2, 4, 1, 1)));
        assertTrue(e.getMessage().contains("(2, 4, 1, 1)"), e.getMessage());
    }

    @Test
    void trainingOnASingleValuePerChannelIsRejected() {
        BatchNorm1D bn = new BatchNorm1D(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("BatchNorm1D(3)") && e.getMessage().contains("more than one"), e.getMessage());
        bn.eval();
        bn.forward(Tensor.zeros(1, 3)); // fine with running statistics
    }

    @Test
    void backwardBeforeForwardAndWrongGradientAreRejected() {
        BatchNorm2D bn = new BatchNorm2D(2);
        assertThrows(IllegalStateException.class, () -> bn.backward(Tensor.zeros(2, 2, 1, 1)));
        bn.forward(Tensor.randn(1, 2, 2, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.backward(Tensor.zeros(2, 2, 1, 2)));
        assertTrue(e.getMessage().contains("(2, 2, 1, 1)") && e.getMessage().contains("(2, 2, 1, 2)"), e.getMessage());
    }

    @Test
    void summaryLeavesRunningStatisticsAndModeAlone() {
        BatchNorm1D bn = new BatchNorm1D(3);
        Sequential net = new Sequential(new Flatten(), bn);
        String table = net.summary(1, 3, 1, 1); // one image: training mode would be impossible here
        assertTrue(table.contains("BatchNorm1D(3)"), table);
        assertArrayEquals(new double[] {0, 0, 0}, bn.runningMean().data(), 0.0);
        assertArrayEquals(new double[] {1, 1, 1}, bn.runningVar().data(), 0.0);
        assertTrue(bn.isTraining() && net.isTraining());
    }

    @Test
    void stagedAndSimplifiedBackwardAgreeInBothModes() {
        BatchNorm2D bn = new BatchNorm2D(3);
        randomAffine(bn, bn.params(), 60);
        Tensor x = Tensor.randn(61, 4, 3, 2, 3).mul(2.0).add(0.7);
        Tensor g = Tensor.randn(62, 4, 3, 2, 3);
        for (boolean training : new boolean[] {true, false}) {
            if (training) bn.train(); else bn.eval();
            bn.forward(x);
            bn.zeroGrad();
            Tensor staged = bn.backwardStaged(g);
            Tensor dGammaStaged = bn.gamma().grad().copy();
            bn.zeroGrad();
            Tensor simplified = bn.backwardSimplified(g);
            assertTrue(staged.allClose(simplified, 1e-12), "dX, training=" + training);
            assertTrue(dGammaStaged.allClose(bn.gamma().grad(), 0.0), "dgamma, training=" + training);
            assertTrue(staged.norm() > 0.1, "a non-trivial gradient");
        }
    }

    @Test
    void stagedBackwardMatchesCentredDifferences() {
        BatchNorm1D bn = new BatchNorm1D(4);
        randomAffine(bn, bn.params(), 63);
        Tensor x = Tensor.randn(64, 6, 4).mul(1.5);
        Tensor r = Tensor.randn(65, 6, 4);
        bn.forward(x);
        Tensor dx = bn.backwardStaged(r);
        Tensor numeric = GradCheck.numeric(() -> bn.forward(x).mul(r).sum(), x);
        assertTrue(GradCheck.relError(dx, numeric) < TOL, "staged dX vs numeric: " + GradCheck.relError(dx, numeric));
    }

    @Test
    void dOutOfAllOnesGivesNoInputGradientInTraining() {
        // dx = gamma invstd / m (m - m - xhat * sum(xhat)) and sum(xhat) = 0 over a channel
        BatchNorm2D bn = new BatchNorm2D(2);
        randomAffine(bn, bn.params(), 66);
        bn.forward(Tensor.randn(67, 3, 2, 2, 2));
        assertTrue(bn.backward(Tensor.ones(3, 2, 2, 2)).norm() < 1e-12);
    }
}
