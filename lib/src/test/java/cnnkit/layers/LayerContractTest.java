package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.models.Model;
import cnnkit.models.Models;
import cnnkit.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The layer contract: no traps for subclasses, errors that say where, and backward only after forward. */
class LayerContractTest {
    /** A Conv2D that changes its backward: the training loop's params-only backward must still run it. */
    static final class CountingConv2D extends Conv2D {
        int backwards;

        CountingConv2D() {
            super(1, 2, 3, 1, 1, new Random(1));
        }

        @Override
        public Tensor backward(Tensor dOut) {
            backwards++;
            return super.backward(dOut);
        }
    }

    @Test
    void backwardParamsOnlyRunsAnOverriddenBackward() {
        CountingConv2D conv = new CountingConv2D();
        Sequential net = new Sequential(conv, new ReLU());
        Tensor x = Tensor.randn(1, 2, 1, 4, 4);
        net.forward(x);
        net.backwardParamsOnly(Tensor.ones(2, 2, 4, 4));
        assertEquals(1, conv.backwards);
        assertTrue(conv.weight().grad().norm() > 0);
    }

    @Test
    void anErrorInsideASequentialSaysWhichLayer() {
        Random rng = new Random(2);
        Sequential net = new Sequential(new Conv2D(1, 8, 3, 1, 1, rng), new ReLU(), new Conv2D(8, 8, 3, 1, 1, rng),
                new ReLU(), new Conv2D(4, 8, 3, 1, 1, rng), new Flatten());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(2, 1, 5, 5)));
        assertTrue(e.getMessage().startsWith("layer 5 of 6, Conv2D(4->8, kernel=3, stride=1, padding=1): expected input"),
                e.getMessage());
    }

    @Test
    void aBackwardErrorSaysWhichLayerToo() {
        Sequential net = new Sequential(new Dense(3, 4, new Random(3)), new ReLU(), new Dense(4, 2, new Random(4)));
        net.forward(Tensor.zeros(5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.backward(Tensor.zeros(5, 3)));
        assertTrue(e.getMessage().startsWith("layer 3 of 3, Dense(4->2): expected dOut (5, 2)"), e.getMessage());
    }

    @Test
    void aNamedModelGivesTheLayerNameInErrors() {
        Model net = Models.lenet5(1, 32, 10, 1.0, 5);
        net.forward(Tensor.zeros(2, 1, 32, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.backward(Tensor.zeros(2, 7)));
        assertTrue(e.getMessage().matches("layer \\d+ of \\d+ '\\w+', .*"), e.getMessage());
    }

    @Test
    void backwardBeforeForwardIsRefusedEvenAfterAModelWasBuilt() {
        Model net = Models.lenet5(1, 32, 10, 1.0, 6); // building runs a probe forward through every layer
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(Tensor.zeros(1, 10)));
        assertTrue(e.getMessage().contains("backward called before forward"), e.getMessage());
        net.forward(Tensor.zeros(1, 1, 32, 32));
        net.backward(Tensor.zeros(1, 10));
        net.summary(); // the summary probes again: its caches are not a forward pass either
        assertThrows(IllegalStateException.class, () -> net.backward(Tensor.zeros(1, 10)));
    }

    @Test
    void aSingleLayerRefusesBackwardBeforeForward() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Conv2D(1, 1, 3, 1, 0).backward(Tensor.zeros(1, 1, 2, 2)));
        assertTrue(e.getMessage().startsWith("Conv2D(1->1, kernel=3, stride=1, padding=0): backward called before forward"),
                e.getMessage());
    }

    @Test
    void dropoutChecksDOutInEvaluationModeToo() {
        Dropout d = new Dropout(0.5, 1);
        d.eval();
        d.forward(Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("expected dOut (2, 3), got (3, 2)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Dropout(0.5).backward(Tensor.zeros(1)));
    }

    @Test
    void runningStatisticsAreBuffersNotParameters() {
        Random rng = new Random(7);
        Sequential net = new Sequential(new Conv2D(1, 2, 3, 1, 1, rng), new BatchNorm2D(2), new ReLU(),
                new ResidualBlock(2, 2, 1, true, rng), new Flatten());
        java.util.List<cnnkit.tensor.Buffer> buffers = net.buffers();
        // BN after the stem, then the block's two BNs: mean and variance each
        assertEquals(6, buffers.size());
        assertEquals("running_mean", buffers.get(0).name());
        assertEquals("running_var", buffers.get(1).name());
        BatchNorm2D bn = (BatchNorm2D) net.get(1);
        assertTrue(buffers.get(0).value() == bn.state().get(0).value(), "the layer's own tensor, not a copy");
        assertTrue(net.params().stream().noneMatch(p -> p.name().startsWith("running")), "not trained");
        assertTrue(new Conv2D(1, 1, 1, 1, 0).buffers().isEmpty());
    }
}
