package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.Dense;
import cnnkit.layers.ReLU;
import cnnkit.layers.Sequential;
import cnnkit.loss.MSELoss;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.optim.SGD;
import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mistakes learners make with the training loop, each caught with a message that says what went wrong. */
class TrainerMistakesTest {
    /** A small regression problem: y = sum of the four inputs, with a little noise. */
    private static Tensor[] regression(int n, long seed) {
        Random rng = new Random(seed);
        Tensor x = Tensor.randn(rng, n, 4);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                s += x.get(i, j);
            }
            y.set(s + 0.01 * rng.nextGaussian(), i, 0);
        }
        return new Tensor[] {x, y};
    }

    private static Sequential regressor(long seed) {
        Random rng = new Random(seed);
        return new Sequential(new Dense(4, 8, rng), new ReLU(), new Dense(8, 1, rng));
    }

    @Test
    void anyLossTrainsAndRegressionReportsNoAccuracy() {
        Tensor[] data = regression(64, 1);
        Sequential model = regressor(2);
        History h = Trainer.of(model, new MSELoss(), new SGD(model.params(), 0.02)).epochs(20).batchSize(16)
                .quiet().fit(data[0], data[1]);
        double[] loss = h.trainLoss();
        assertTrue(loss[19] < 0.2 * loss[0], "the MSE should fall to under a fifth: " + Arrays.toString(loss));
        assertTrue(Double.isNaN(h.trainAccuracy()[0]), "no accuracy for a regression loss");
        assertFalse(h.toString().contains("NaN"), h.toString());
    }

    @Test
    void mseOnLabelledDataTrainsWithoutAccuracy() {
        Dataset data = Fixtures.brightness(32, 3);
        Sequential model = Fixtures.model(4, 2);
        History h = Trainer.of(model, new MSELoss(), new SGD(model.params(), 0.05)).epochs(2).batchSize(8)
                .validation(data).quiet().fit(data);
        assertEquals(2, h.epochs());
        assertTrue(Double.isNaN(h.trainAccuracy()[1]) && Double.isNaN(h.valAccuracy()[1]));
        assertTrue(Double.isFinite(h.valLoss()[1]), "the validation loss is the training loss, MSE");
    }

    @Test
    void badNumbersInTheInputsAreBlamedOnTheData() {
        Tensor[] data = regression(16, 5);
        data[0].set(Double.NaN, 9, 2);
        Sequential model = regressor(6);
        History h = Trainer.of(model, new MSELoss(), new SGD(model.params(), 0.01)).epochs(1).batchSize(4)
                .shuffleSeed(-1).quiet().fit(data[0], data[1]);
        assertTrue(h.diverged());
        String reason = h.stopReason();
        assertTrue(reason.contains("data") && reason.contains("input 2 of the batch holds NaN at position 2"), reason);
        assertTrue(reason.contains("batch 3/4"), reason);
        assertFalse(reason.contains("learning rate"), "not the learning rate: " + reason);
    }

    @Test
    void aNaNLossAtTheFirstBatchIsNotBlamedOnTheLearningRate() {
        Dataset data = Fixtures.brightness(16, 7);
        Sequential model = Fixtures.model(8, 2);
        model.params().get(0).value().data()[0] = Double.NaN; // a ruined weight, before any step
        History h = Trainer.of(model, new SGD(model.params(), 0.05)).epochs(2).batchSize(4).quiet().fit(data);
        assertTrue(h.diverged());
        assertEquals(0, h.batchLosses().length);
        String reason = h.stopReason();
        assertTrue(reason.contains("first batch, before any step"), reason);
        assertTrue(reason.contains("learning rate is not the cause"), reason);
    }

    @Test
    void aLossThatGrewBlamesTheLearningRate() {
        Dataset data = Fixtures.brightness(64, 9);
        Sequential model = Fixtures.model(10, 2);
        History h = Trainer.of(model, new SGD(model.params(), 1e6)).epochs(3).batchSize(4).quiet().fit(data);
        assertTrue(h.diverged());
        String reason = h.stopReason();
        assertTrue(reason.contains("the loss grew from") && reason.contains("probably too high"), reason);
    }

    @Test
    void anOptimizerOfAnotherModelIsRefused() {
        Dataset data = Fixtures.brightness(8, 11);
        Sequential old = Fixtures.model(12, 2);
        SGD sgd = new SGD(old.params(), 0.05);
        Sequential rebuilt = Fixtures.model(12, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(rebuilt, new SoftmaxCrossEntropy(), sgd).quiet().fit(data));
        assertTrue(e.getMessage().contains("4 of which are not parameters of") && e.getMessage().contains("model.params()"),
                e.getMessage());
    }

    @Test
    void anOptimizerOfSomeParametersOnlyIsFine() {
        Sequential model = Fixtures.model(13, 2);
        SGD lastLayerOnly = new SGD(model.params().subList(2, 4), 0.05);
        History h = Trainer.of(model, new SoftmaxCrossEntropy(), lastLayerOnly).quiet().fit(Fixtures.brightness(8, 14));
        assertFalse(h.diverged());
    }

    @Test
    void aScheduleReturningNaNOrANegativeRateIsRefused() {
        for (double bad : new double[] {Double.NaN, -0.01, Double.POSITIVE_INFINITY}) {
            Sequential model = Fixtures.model(15, 2);
            LearningRateSchedule schedule = (epoch, base) -> epoch == 1 ? bad : base;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.of(model, new SGD(model.params(), 0.05)).epochs(3).schedule(schedule).quiet()
                            .fit(Fixtures.brightness(8, 16)));
            assertTrue(e.getMessage().contains("returned " + bad + " for epoch 2"), e.getMessage());
        }
    }

    @Test
    void anEmptyBatchIsAnErrorNotANaNLoss() {
        IllegalArgumentException ce = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxCrossEntropy().forward(Tensor.zeros(0, 3), new int[0]));
        assertTrue(ce.getMessage().contains("empty batch"), ce.getMessage());
        IllegalArgumentException mse = assertThrows(IllegalArgumentException.class,
                () -> new MSELoss().forward(Tensor.zeros(0, 1), Tensor.zeros(0, 1)));
        assertTrue(mse.getMessage().contains("empty batch"), mse.getMessage());
    }

    @Test
    void regressionInputsAndTargetsMustPair() {
        Sequential model = regressor(17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(model, new MSELoss(), new SGD(model.params(), 0.01)).quiet()
                        .fit(Tensor.zeros(5, 4), Tensor.zeros(4, 1)));
        assertTrue(e.getMessage().contains("(5, 4)") && e.getMessage().contains("(4, 1)"), e.getMessage());
    }
}
