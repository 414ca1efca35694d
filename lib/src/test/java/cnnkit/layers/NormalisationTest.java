package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Layer and group normalisation: forward values, both backward passes, gradient checks, shapes. */
class NormalisationTest {
    private static final double TOL = 1e-7;
    private static final double EPS = 1e-5;

    private static <T extends Normalisation> T randomAffine(T layer, long seed) {
        layer.gamma().value().addInPlace(Tensor.randn(seed, layer.gamma().shape()).mul(0.5));
        layer.beta().value().addInPlace(Tensor.randn(seed + 1, layer.beta().shape()));
        return layer;
    }

    @Test
    void layerNormStandardisesEachSampleOnItsOwn() {
        // sample 0: 1, 2, 3, 4 (mean 2.5, variance 1.25); sample 1: 10, 10, 20, 20 (mean 15, variance 25)
        Tensor y = new LayerNorm(4).forward(Tensor.of(new double[] {1, 2, 3, 4, 10, 10, 20, 20}, 2, 4));
        double s0 = Math.sqrt(1.25 + EPS), s1 = Math.sqrt(25 + EPS);
        assertArrayEquals(new double[] {-1.5 / s0, -0.5 / s0, 0.5 / s0, 1.5 / s0, -5 / s1, -5 / s1, 5 / s1, 5 / s1},
                y.data(), 1e-12);
    }

    @Test
    void groupNormUsesBlocksOfChannelsAndAPerChannelAffine() {
        // (1, 4, 1, 2), 2 groups: channels 0-1 hold 1, 3, 5, 7 (mean 4, var 5); channels 2-3 hold 0, 0, 2, 2 (mean 1, var 1)
        GroupNorm gn = new GroupNorm(2, 4);
        gn.gamma().value().data()[1] = 2;
        gn.beta().value().data()[3] = 10;
        Tensor y = gn.forward(Tensor.of(new double[] {1, 3, 5, 7, 0, 0, 2, 2}, 1, 4, 1, 2));
        double s0 = Math.sqrt(5 + EPS), s1 = Math.sqrt(1 + EPS);
        assertArrayEquals(new double[] {-3 / s0, -1 / s0, 2 / s0, 6 / s0, -1 / s1, -1 / s1, 1 / s1 + 10, 1 / s1 + 10},
                y.data(), 1e-12);
    }

    @Test
    void groupNormWithOneGroupIsLayerNormOnMaps() {
        Tensor x = Tensor.randn(1, 3, 4, 2, 3);
        assertTrue(new GroupNorm(1, 4).forward(x).allClose(new LayerNorm(4).forward(x), 0.0));
    }

    @Test
    void trainingAndEvaluationGiveTheSameAnswerAndBatchesDoNotMix() {
        GroupNorm gn = randomAffine(new GroupNorm(2, 4), 2);
        Tensor x = Tensor.randn(3, 3, 4, 2, 2);
        Tensor train = gn.forward(x);
        gn.eval();
        assertTrue(gn.forward(x).allClose(train, 0.0));
        Tensor alone = gn.forward(Tensor.of(x.slice(1).data(), 1, 4, 2, 2));
        assertArrayEquals(train.slice(1).data(), alone.data(), 1e-15);
    }

    @Test
    void layerNormGradientsOnFeaturesAndMaps() {
        GradCheck.check(randomAffine(new LayerNorm(5), 4), Tensor.randn(5, 3, 5).mul(2.0), 6).require(TOL);
        GradCheck.check(randomAffine(new LayerNorm(3), 7), Tensor.randn(8, 2, 3, 2, 2).add(1.0), 9).require(TOL);
    }

    @Test
    void groupNormGradients() {
        GradCheck.check(randomAffine(new GroupNorm(2, 4), 10), Tensor.randn(11, 2, 4, 3, 2).mul(1.5), 12).require(TOL);
        GradCheck.check(randomAffine(new GroupNorm(4, 4), 13), Tensor.randn(14, 1, 4, 2, 2), 15).require(TOL);
    }

    @Test
    void stagedBackwardEqualsSimplifiedForGroupNorm() {
        GroupNorm gn = randomAffine(new GroupNorm(2, 6), 16);
        Tensor x = Tensor.randn(17, 2, 6, 3, 3);
        Tensor g = Tensor.randn(18, 2, 6, 3, 3);
        gn.forward(x);
        Tensor staged = gn.backwardStaged(g);
        Tensor simplified = gn.backwardSimplified(g);
        assertTrue(staged.allClose(simplified, 1e-12));
        assertTrue(staged.norm() > 0.1);
    }

    @Test
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertTrue(e.getMessage().contains("groups=3") && e.getMessage().contains("channels=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 4).forward(Tensor.zeros(1, 3, 2, 2)));
        assertTrue(e.getMessage().contains("GroupNorm(2 groups, 4)") && e.getMessage().contains("(1, 3, 2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("LayerNorm(4)") && e.getMessage().contains("(2, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(1).forward(Tensor.zeros(2, 1)));
        assertTrue(e.getMessage().contains("more than one"), e.getMessage());
        assertEquals(2, new GroupNorm(2, 4).params().size());
    }
}
