package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Layer#backwardParamsOnly} accumulates exactly the parameter gradients backward does. */
class BackwardParamsOnlyTest {
    private static List<Param> gradientsAfter(Layer net, Tensor x, Tensor g, boolean paramsOnly) {
        net.zeroGrad();
        net.forward(x);
        if (paramsOnly) {
            net.backwardParamsOnly(g);
        } else {
            net.backward(g);
        }
        return net.params();
    }

    private static Sequential lenetLike(long seed) {
        Random rng = new Random(seed);
        return new Sequential(new Conv2D(1, 3, 3, 1, 1, rng), new Tanh(), new AvgPool2D(2, 2),
                new Conv2D(3, 4, 3, 1, 0, rng), new ReLU(), new Flatten(), new Dense(4 * 3 * 3, 5, rng));
    }

    @Test
    void convSkipsOnlyTheInputGradient() {
        Tensor x = Tensor.randn(1, 5, 2, 9, 9);
        Conv2D a = new Conv2D(2, 3, 3, 2, 1, new Random(2));
        Conv2D b = new Conv2D(2, 3, 3, 2, 1, new Random(2));
        Tensor g = Tensor.randn(3, a.outputShape(x.shape()));
        List<Param> full = gradientsAfter(a, x, g, false);
        List<Param> only = gradientsAfter(b, x, g, true);
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i).grad().data(), only.get(i).grad().data(), 0.0, full.get(i).toString());
        }
    }

    @Test
    void sequentialGivesTheSameParameterGradients() {
        Tensor x = Tensor.randn(4, 3, 1, 10, 10);
        Sequential a = lenetLike(9);
        Sequential b = lenetLike(9);
        Tensor g = Tensor.randn(5, 3, 5);
        List<Param> full = gradientsAfter(a, x, g, false);
        List<Param> only = gradientsAfter(b, x, g, true);
        assertEquals(full.size(), only.size());
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i).grad().data(), only.get(i).grad().data(), 0.0, "param " + i);
        }
    }

    @Test
    void layersWithoutAShortcutFallBackToBackward() {
        Tensor x = Tensor.randn(6, 4, 7);
        Dense a = new Dense(7, 3, new Random(1));
        Dense b = new Dense(7, 3, new Random(1));
        Tensor g = Tensor.randn(7, 4, 3);
        List<Param> full = gradientsAfter(a, x, g, false);
        List<Param> only = gradientsAfter(b, x, g, true);
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i).grad().data(), only.get(i).grad().data(), 0.0);
        }
    }
}
