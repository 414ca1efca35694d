package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.check.GradReport;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialTest {
    private static Sequential tiny(Random rng) {
        return new Sequential(new Conv2D(1, 1, 3, 1, 0, rng), new Flatten(), new Dense(9, 1, rng));
    }

    @Test
    void paramsAreListedLayerByLayerWeightBeforeBias() {
        Random rng = new Random(1);
        Conv2D conv = new Conv2D(1, 2, 3, 1, 1, rng);
        Dense dense = new Dense(8, 4, rng);
        Sequential net = new Sequential(conv, new ReLU(), new Flatten()).add(dense);
        List<Param> params = net.params();
        assertEquals(4, params.size());
        assertSame(conv.weight(), params.get(0));
        assertSame(conv.bias(), params.get(1));
        assertSame(dense.weight(), params.get(2));
        assertSame(dense.bias(), params.get(3));
        assertEquals(4, net.size());
        assertSame(dense, net.get(3));
    }

    @Test
    void summaryShowsEveryLayerShapeAndTheHandCountedTotal() {
        Sequential net = tiny(new Random(2));
        String s = net.summary(1, 1, 5, 5);
        assertTrue(s.contains("Conv2D(1->1, kernel=3, stride=1, padding=0)"), s);
        assertTrue(s.contains("Flatten"), s);
        assertTrue(s.contains("Dense(9->1)"), s);
        assertTrue(s.contains("(1, 1, 5, 5)"), "input shape: " + s);
        assertTrue(s.contains("(1, 1, 3, 3)"), "conv output (5 - 3) / 1 + 1 = 3: " + s);
        assertTrue(s.contains("(1, 9)"), s);
        assertTrue(s.contains("(1, 1)"), s);
        // Conv2D: 3 * 3 weights + 1 bias = 10; Dense: 9 weights + 1 bias = 10.
        assertTrue(s.contains("total parameters: 20"), s);
        assertEquals(20, net.paramCount());
    }

    @Test
    void forwardAndBackwardChainTheLayers() {
        Random rng = new Random(3);
        Conv2D conv = new Conv2D(1, 1, 3, 1, 0, rng);
        Dense dense = new Dense(9, 2, rng);
        Sequential net = new Sequential(conv, new Flatten(), dense);
        Tensor x = Tensor.randn(4, 2, 1, 5, 5);
        Tensor y = net.forward(x);

        Conv2D conv2 = new Conv2D(1, 1, 3, 1, 0);
        Dense dense2 = new Dense(9, 2);
        conv2.weight().value().fill(0).addInPlace(conv.weight().value());
        dense2.weight().value().fill(0).addInPlace(dense.weight().value());
        Tensor byHand = dense2.forward(conv2.forward(x).reshape(2, 9));
        assertTrue(byHand.allClose(y, 1e-12));

        Tensor g = Tensor.randn(5, 2, 2);
        Tensor dx = net.backward(g);
        Tensor dxByHand = conv2.backward(dense2.backward(g).reshape(2, 1, 3, 3));
        assertTrue(dxByHand.allClose(dx, 1e-12));
        assertTrue(conv2.weight().grad().allClose(conv.weight().grad(), 1e-12));
    }

    @Test
    void gradCheckThroughTheWholeStack() {
        Sequential net = new Sequential(new Conv2D(2, 3, 3, 2, 1, new Random(6)), new Flatten(),
                new Dense(12, 4, new Random(7)));
        GradReport report = GradCheck.check(net, Tensor.randn(8, 2, 2, 4, 3), 9);
        assertEquals(5, report.entries().size());
        assertTrue(report.maxError() < 1e-7, report::toString);
    }

    @Test
    void trainAndEvalReachEveryLayer() {
        Sequential net = tiny(new Random(10));
        net.eval();
        assertFalse(net.isTraining());
        net.layers().forEach(l -> assertFalse(l.isTraining(), l.toString()));
        net.train();
        net.layers().forEach(l -> assertTrue(l.isTraining(), l.toString()));
    }

    @Test
    void zeroGradClearsEveryLayer() {
        Sequential net = tiny(new Random(11));
        Tensor x = Tensor.randn(12, 1, 1, 5, 5);
        net.forward(x);
        net.backward(Tensor.ones(1, 1));
        assertTrue(net.params().stream().allMatch(p -> p.grad().norm() > 0));
        net.zeroGrad();
        assertTrue(net.params().stream().allMatch(p -> p.grad().norm() == 0));
        assertArrayEquals(new int[] {1, 1}, net.forward(x).shape());
    }

    @Test
    void theSameLayerObjectAtTwoPositionsIsRefusedNamingBoth() {
        Dense d = new Dense(3, 3, new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(d, new ReLU(), d));
        assertTrue(e.getMessage().contains("layer 3") && e.getMessage().contains("layer 1")
                && e.getMessage().contains("Dense(3->3)"), e.getMessage());
        Sequential net = new Sequential(new ReLU(), d);
        assertThrows(IllegalArgumentException.class, () -> net.add(d));
    }

    @Test
    void aLayerInsideAnEarlierBlockIsRefusedToo() {
        ReLU relu = new ReLU();
        Sequential block = new Sequential(new Dense(2, 2, new Random(1)), relu);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(block, relu));
        assertTrue(e.getMessage().contains("layer 2") && e.getMessage().contains("layer 1"), e.getMessage());
    }

    @Test
    void aNullLayerIsRefusedWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(new ReLU(), null));
        assertEquals("Sequential: layer 2 is null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sequential((List<Layer>) null));
        assertThrows(IllegalArgumentException.class, () -> new Sequential((Layer[]) null));
    }

    @Test
    void summaryOfOneImageShapeReadsItAsABatchOfOne() {
        Sequential net = tiny(new Random(2));
        String oneImage = net.summary(1, 5, 5);
        assertEquals(net.summary(1, 1, 5, 5), oneImage);
        assertTrue(oneImage.contains("(1, 1, 5, 5)"), oneImage);
    }
}
