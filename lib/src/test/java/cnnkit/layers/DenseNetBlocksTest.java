package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DenseLayer, DenseBlock and TransitionLayer.
 *
 * <p>About the gradient-check seeds: the centred difference carries rounding noise of about
 * 1e-10 (more for blocks with many outputs), so a gradient that is genuinely tiny has a large
 * relative error without anything being wrong. Batch normalisation produces such gradients (a
 * pixel whose ReLU is off still gets a ~1e-4 share through the batch mean and variance), and a
 * pre-activation that happens to lie within h of a ReLU kink spoils a centred difference. The
 * seeds below give inputs clear of both, so every entry is well under 1e-7; a wrong backward
 * gives errors of order 1.
 */
class DenseNetBlocksTest {
    private static final double TOL = 1e-7;

    @Test
    void denseLayerIsReluConv1x1ReluConv3x3() {
        Random rng = new Random(2);
        Conv2D c1 = new Conv2D(3, 8, 1, 1, 0, rng);
        Conv2D c2 = new Conv2D(8, 2, 3, 1, 1, rng);
        Tensor x = Tensor.randn(3, 2, 3, 5, 4);
        ReLU r = new ReLU();
        Tensor expected = c2.forward(r.forward(c1.forward(r.forward(x))));
        Tensor y = new DenseLayer(3, 2, false, new Random(2)).forward(x);
        assertArrayEquals(new int[] {2, 2, 5, 4}, y.shape());
        assertArrayEquals(expected.data(), y.data(), 1e-12);
    }

    @Test
    void denseLayerParams() {
        // 1x1: 5 -> 4*3 = 12 channels, 5*12 + 12; 3x3: 12 -> 3, 12*3*9 + 3
        assertEquals(5 * 12 + 12 + 12 * 3 * 9 + 3, new DenseLayer(5, 3).paramCount());
        // with BN: gamma, beta of 5; 1x1 weight; gamma, beta of 12; 3x3 weight (no biases)
        DenseLayer bn = new DenseLayer(5, 3, true);
        assertEquals(List.of("gamma", "beta", "weight", "gamma", "beta", "weight"), BlockTestSupport.paramNames(bn));
        assertEquals(2 * 5 + 5 * 12 + 2 * 12 + 12 * 3 * 9, bn.paramCount());
    }

    @Test
    void denseLayerGradient() {
        DenseLayer layer = new DenseLayer(3, 2, false, new Random(3));
        BlockTestSupport.perturbParams(layer, 4);
        GradCheck.check(layer, Tensor.randn(5, 2, 3, 5, 3), 6).require(TOL);
    }

    @Test
    void denseLayerGradientWithBatchNorm() {
        DenseLayer layer = new DenseLayer(3, 2, true, new Random(12));
        BlockTestSupport.perturbParams(layer, 13);
        GradCheck.check(layer, Tensor.randn(14, 2, 3, 5, 3), 15).require(TOL);
    }

    @Test
    void denseBlockConcatenatesEverything() {
        DenseBlock block = new DenseBlock(3, 2, 2, false, new Random(11));
        Tensor x = Tensor.randn(12, 2, 2, 4, 3);
        Tensor y = block.forward(x);
        assertArrayEquals(new int[] {2, 2 + 3 * 2, 4, 3}, y.shape());
        assertEquals(8, block.outChannels());
        // The first `in` channels of the output are the input itself.
        List<Tensor> parts = Concat.split(y, new int[] {2, 6});
        assertArrayEquals(x.data(), parts.get(0).data(), 0.0);
    }

    @Test
    void denseBlockLayerIReadsAllEarlierMaps() {
        // Rebuild by hand: f1 = L1(x), f2 = L2([x, f1]), f3 = L3([x, f1, f2]).
        Random rng = new Random(13);
        DenseLayer l1 = new DenseLayer(2, 2, false, rng);
        DenseLayer l2 = new DenseLayer(4, 2, false, rng);
        DenseLayer l3 = new DenseLayer(6, 2, false, rng);
        Tensor x = Tensor.randn(14, 2, 2, 3, 5);
        Tensor f1 = l1.forward(x);
        Tensor f2 = l2.forward(Concat.concat(x, f1));
        Tensor f3 = l3.forward(Concat.concat(x, f1, f2));
        Tensor expected = Concat.concat(x, f1, f2, f3);
        assertArrayEquals(expected.data(), new DenseBlock(3, 2, 2, false, new Random(13)).forward(x).data(), 1e-12);
    }

    @Test
    void denseBlockNamesBatchNormalisationLikeItsLayers() {
        // summaries show one row per block, so the block must say whether its layers normalise
        assertEquals("DenseBlock(3 layers, 3->9, growth=2)", new DenseBlock(3, 3, 2).toString());
        assertEquals("DenseBlock(3 layers, 3->9, growth=2, bn)", new DenseBlock(3, 3, 2, true).toString());
    }

    @Test
    void denseBlockParamsLayerByLayer() {
        // growth 2, bottleneck 8; layer i reads 3, 5, 7 channels
        long expected = 0;
        for (int in : new int[] {3, 5, 7}) {
            expected += in * 8 + 8 + 8 * 2 * 9 + 2;
        }
        assertEquals(expected, new DenseBlock(3, 3, 2).paramCount());
    }

    @Test
    void denseBlockGradientThreeLayers() {
        DenseBlock block = new DenseBlock(3, 2, 2, false, new Random(18));
        BlockTestSupport.perturbParams(block, 19);
        GradCheck.check(block, Tensor.randn(20, 2, 2, 5, 3), 21).require(TOL);
    }

    @Test
    void denseBlockGradientThreeLayersWithBatchNorm() {
        DenseBlock block = new DenseBlock(3, 2, 2, true, new Random(21));
        BlockTestSupport.perturbParams(block, 22);
        GradCheck.check(block, Tensor.randn(23, 2, 2, 3, 5), 24).require(TOL);
    }

    @Test
    void transitionHalvesTheResolution() {
        Random rng = new Random(23);
        Conv2D conv = new Conv2D(5, 3, 1, 1, 0, rng);
        Tensor x = Tensor.randn(24, 2, 5, 5, 4);
        Tensor expected = new AvgPool2D(2, 2).forward(conv.forward(new ReLU().forward(x)));
        Tensor y = new TransitionLayer(5, 3, false, new Random(23)).forward(x);
        assertArrayEquals(new int[] {2, 3, 2, 2}, y.shape());
        assertArrayEquals(expected.data(), y.data(), 1e-12);
    }

    @Test
    void transitionGradient() {
        TransitionLayer t = new TransitionLayer(5, 3, false, new Random(25));
        BlockTestSupport.perturbParams(t, 26);
        GradCheck.check(t, Tensor.randn(27, 2, 5, 5, 4), 28).require(TOL);
    }

    @Test
    void transitionGradientWithBatchNorm() {
        TransitionLayer t = new TransitionLayer(3, 2, true, new Random(33));
        BlockTestSupport.perturbParams(t, 34);
        assertEquals(List.of("gamma", "beta", "weight"), BlockTestSupport.paramNames(t));
        GradCheck.check(t, Tensor.randn(35, 2, 3, 5, 7), 36).require(TOL);
    }

    @Test
    void wrongShapesNameTheBlock() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DenseBlock(3, 2, 2).forward(Tensor.zeros(1, 3, 4, 4)));
        assertTrue(e.getMessage().contains("DenseBlock(3 layers") && e.getMessage().contains("(N, 2, H, W)")
                && e.getMessage().contains("(1, 3, 4, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DenseLayer(4, 2).forward(Tensor.zeros(1, 3, 4, 4)));
        assertTrue(e.getMessage().contains("DenseLayer(4->8->2)") && e.getMessage().contains("(1, 3, 4, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransitionLayer(3, 2).forward(Tensor.zeros(1, 3, 1, 4)));
        assertTrue(e.getMessage().contains("Transition(3->2") && e.getMessage().contains("(1, 3, 1, 4)"), e.getMessage());
        DenseBlock block = new DenseBlock(2, 2, 1);
        block.forward(Tensor.zeros(1, 2, 3, 3));
        e = assertThrows(IllegalArgumentException.class, () -> block.backward(Tensor.zeros(1, 3, 3, 3)));
        assertTrue(e.getMessage().contains("DenseBlock") && e.getMessage().contains("(1, 4, 3, 3)")
                && e.getMessage().contains("(1, 3, 3, 3)"), e.getMessage());
    }
}
