package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.BatchNorm1D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.Sequential;
import cnnkit.optim.SGD;
import cnnkit.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestEpochTest {
    @TempDir
    Path dir;

    @Test
    void restoresTheWeightsAndStateOfTheBestOffer() {
        Dense dense = new Dense(3, 2, new Random(1));
        BatchNorm1D bn = new BatchNorm1D(2);
        Sequential model = new Sequential(dense, bn);
        BestEpoch best = new BestEpoch(model, dir.resolve("sub/best.cnnk"));

        dense.weight().value().fill(1.0);
        assertTrue(best.offer(1, 0.5));
        dense.weight().value().fill(2.0);
        bn.runningMean().fill(7.0);
        assertTrue(best.offer(2, 0.7));
        dense.weight().value().fill(3.0);
        bn.runningMean().fill(9.0);
        assertFalse(best.offer(3, 0.6), "a worse epoch is not kept");
        assertFalse(best.offer(4, 0.7), "a tie keeps the earlier epoch");

        best.restore();
        assertEquals(2, best.epoch());
        assertEquals(0.7, best.accuracy());
        assertArrayEquals(Tensor.full(2.0, 2, 3).data(), dense.weight().value().data());
        assertArrayEquals(new double[] {7, 7}, bn.runningMean().data());
        assertEquals("best validation accuracy 70.00% after epoch 2", best.toString());
    }

    @Test
    void asATrainerCallbackItKeepsTheEpochWithTheHighestValidationAccuracy() {
        Random rng = new Random(3);
        Tensor x = Tensor.randn(rng, 64, 1, 2, 2);
        int[] y = new int[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.data()[4 * i] + x.data()[4 * i + 3] > 0 ? 1 : 0;
        }
        Dataset data = Dataset.of("toy", x, y, 2);
        Sequential model = new Sequential(new Flatten(), new Dense(4, 2, rng));
        BestEpoch best = new BestEpoch(model, dir.resolve("best.cnnk"));
        List<double[]> weights = new ArrayList<>();
        History h = Trainer.of(model, new SGD(model.params(), 2.0)).epochs(6).batchSize(8).shuffleSeed(1)
                .validation(data.subset(16)).quiet()
                .onEpochEnd(run -> {
                    weights.add(model.params().get(0).value().data().clone());
                    best.accept(run);
                })
                .fit(data);
        double[] acc = h.valAccuracy();
        int argmax = 0;
        for (int e = 1; e < acc.length; e++) {
            if (acc[e] > acc[argmax]) {
                argmax = e;
            }
        }
        assertEquals(argmax + 1, best.epoch());
        assertEquals(acc[argmax], best.accuracy());
        best.restore();
        assertArrayEquals(weights.get(argmax), model.params().get(0).value().data());
    }

    @Test
    void refusesToRestoreBeforeAnyEpochAndARunWithoutValidation() {
        Sequential model = new Sequential(new Dense(2, 2));
        BestEpoch best = new BestEpoch(model, dir.resolve("best.cnnk"));
        assertThrows(IllegalStateException.class, best::restore);
        Dataset data = Dataset.of("toy", Tensor.randn(new Random(1), 4, 1, 1, 2), new int[] {0, 1, 0, 1}, 2);
        Sequential net = new Sequential(new Flatten(), new Dense(2, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.of(net,
                new SGD(net.params(), 0.1)).quiet().onEpochEnd(new BestEpoch(net, dir.resolve("b.cnnk"))).fit(data));
        assertTrue(e.getMessage().contains("no validation set"), e.getMessage());
    }
}
