package cnnkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.data.Dataset;
import cnnkit.layers.Layer;
import cnnkit.layers.Sequential;
import cnnkit.optim.Adam;
import cnnkit.optim.Optimizer;
import cnnkit.optim.SGD;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static History train(long modelSeed, long shuffleSeed, Dataset data, Dataset val) {
        Sequential model = Fixtures.model(modelSeed, 2);
        return Trainer.of(model, new SGD(model.params(), 0.05, 0.9, 0.0))
                .epochs(4).batchSize(8).shuffleSeed(shuffleSeed).validation(val).quiet().fit(data);
    }

    @Test
    void lossFallsOnALearnableProblem() {
        Dataset data = Fixtures.brightness(96, 1);
        Dataset test = Fixtures.brightness(64, 2);
        History h = train(3, 4, data, test);
        double[] loss = h.trainLoss();
        assertEquals(4, h.epochs());
        assertEquals(96 / 8 * 4, h.batchLosses().length);
        assertTrue(loss[3] < 0.5 * loss[0], "loss should fall: " + Arrays.toString(loss));
        assertTrue(h.valAccuracy()[3] > 0.9, "validation accuracy " + h.valAccuracy()[3]);
        assertFalse(h.diverged());
    }

    @Test
    void theHistoryRecordsWhatWasTrainedOnWhat() {
        Dataset data = Fixtures.brightness(24, 1);
        Dataset val = Fixtures.brightness(8, 2);
        Sequential model = Fixtures.model(3, 2);
        History h = train(3, 4, data.subset(20), val);
        assertEquals("brightness", h.trainSet());
        assertEquals(20, h.trainSize());
        assertEquals("brightness", h.validationSet());
        // conv 1->2 3x3: 2*9 + 2 = 20; dense 32 -> 2: 64 + 2 = 66
        assertEquals(86, h.paramCount());
        assertEquals(model.paramCount(), h.paramCount());
        History noVal = Trainer.of(model, new SGD(model.params(), 0.05)).quiet().fit(data);
        assertEquals("", noVal.validationSet());
        assertEquals(24, noVal.trainSize());
    }

    @Test
    void overfitsATinyBatchToFullAccuracy() {
        Dataset tiny = Fixtures.noise(8, 4, 5);
        Sequential model = Fixtures.model(6, 4);
        History h = Trainer.of(model, new SGD(model.params(), 0.1, 0.9, 0.0))
                .epochs(150).batchSize(8).quiet().fit(tiny);
        assertEquals(1.0, h.trainAccuracy()[149], "memorising 8 samples");
        Evaluation ev = Evaluation.of(model, tiny);
        assertEquals(1.0, ev.accuracy());
        assertTrue(ev.loss() < 0.05, "loss " + ev.loss());
    }

    @Test
    void sameSeedsGiveABitIdenticalHistory() {
        Dataset data = Fixtures.brightness(40, 7);
        Dataset val = Fixtures.brightness(16, 8);
        History a = train(9, 10, data, val);
        History b = train(9, 10, data, val);
        assertArrayEquals(a.batchLosses(), b.batchLosses());
        assertArrayEquals(a.trainLoss(), b.trainLoss());
        assertArrayEquals(a.trainAccuracy(), b.trainAccuracy());
        assertArrayEquals(a.valLoss(), b.valLoss());
        assertArrayEquals(a.valAccuracy(), b.valAccuracy());
        assertArrayEquals(a.learningRates(), b.learningRates());
        // The comparison is not vacuous: another shuffle seed changes the numbers.
        History c = train(9, 11, data, val);
        assertFalse(Arrays.equals(a.batchLosses(), c.batchLosses()));
    }

    @Test
    void progressPrintsOneLinePerEpochPlusAHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        // A clock that jumps a second per reading, so the time throttle never holds updates back.
        Progress progress = new Progress(out, () -> now[0] += 1_000_000_000L);
        Dataset data = Fixtures.brightness(200, 12);
        Sequential model = Fixtures.model(13, 2);
        int epochs = 3;
        Trainer.of(model, new SGD(model.params(), 0.05)).epochs(epochs).batchSize(2).progress(progress).fit(data);
        String text = bytes.toString(StandardCharsets.UTF_8);
        long newlines = text.chars().filter(c -> c == '\n').count();
        long returns = text.chars().filter(c -> c == '\r').count();
        assertEquals(epochs + 1, newlines, text);
        // 100 batches per epoch, but an update at most every 5% of them, plus the final line.
        assertTrue(returns > epochs && returns <= epochs * (20 + 1), "carriage returns: " + returns);
        assertTrue(text.contains("epoch 3/3"), text);
        assertTrue(text.contains("batch 50/100"), text);
        assertTrue(text.contains("samples/s"), text);
    }

    @Test
    void progressIsThrottledByTime() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        // A clock that advances 1 ms per reading: 100 batches take far less than the 0.5 s interval.
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                () -> now[0] += 1_000_000L);
        progress.startEpoch(0, 1, 100);
        for (int k = 1; k <= 100; k++) {
            progress.batch(k, 1.0, k);
        }
        progress.endEpoch("done", 100);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.chars().filter(c -> c == '\r').count(), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
    }

    /** Passes data through until its n-th forward, which returns NaN logits; counts backward calls. */
    private static final class PoisonAfter extends Layer {
        private final Layer inner;
        private final int poisonAt;
        int forwards;
        int backwards;

        PoisonAfter(Layer inner, int poisonAt) {
            this.inner = inner;
            this.poisonAt = poisonAt;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = inner.forward(x);
            return ++forwards == poisonAt ? Tensor.full(Double.NaN, out.shape()) : out;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            backwards++;
            return inner.backward(dOut);
        }

        @Override
        public List<Param> params() {
            return inner.params();
        }
    }

    @Test
    void aNaNLossStopsTrainingNamingTheBatchAndKeepsTheHistory() {
        Dataset data = Fixtures.brightness(16, 14);
        Sequential inner = Fixtures.model(15, 2);
        PoisonAfter model = new PoisonAfter(inner, 6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History h = Trainer.of(model, new SGD(inner.params(), 0.05)).epochs(3).batchSize(4)
                .progress(Progress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8))).fit(data);
        assertTrue(h.diverged());
        assertEquals(1, h.epochs(), "the completed first epoch is kept");
        assertEquals(5, h.batchLosses().length, "batches before the bad one are kept");
        assertEquals(5, model.backwards, "the bad batch must not update the weights");
        String reason = h.stopReason();
        assertTrue(reason.contains("epoch 2, batch 2/4"), reason);
        assertTrue(reason.contains("batch 6 overall"), reason);
        assertTrue(reason.contains("learning rate 0.05 is") && reason.contains("lower one, e.g. 0.005"), reason);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(reason), "the reason is printed");
    }

    @Test
    void ratesArePrintedShort() {
        assertEquals("0.05", Trainer.shortNumber(0.05));
        assertEquals("0.0025", Trainer.shortNumber(0.1 * 0.5 * 0.05));
        assertEquals("0.00001", Trainer.shortNumber(1e-5));
        assertEquals("0.333", Trainer.shortNumber(1.0 / 3));
    }

    @Test
    void stepDecayScheduleSetsTheRateEachEpoch() {
        Dataset data = Fixtures.brightness(8, 16);
        Sequential model = Fixtures.model(17, 2);
        SGD sgd = new SGD(model.params(), 0.1);
        History h = Trainer.of(model, sgd).epochs(5).batchSize(4).schedule(StepDecay.every(2, 0.5)).quiet().fit(data);
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025}, h.learningRates());
        assertEquals(0.025, sgd.lr());
    }

    @Test
    void aScheduleWorksWithAdamToo() {
        Sequential model = Fixtures.model(18, 2);
        Adam adam = new Adam(model.params(), 0.2);
        History h = Trainer.of(model, adam).epochs(3).batchSize(4).schedule(StepDecay.every(1, 0.5)).quiet()
                .fit(Fixtures.brightness(4, 19));
        assertArrayEquals(new double[] {0.2, 0.1, 0.05}, h.learningRates());
        assertEquals(0.05, adam.lr());
    }

    @Test
    void aModelWithTheWrongNumberOfOutputsIsReportedClearly() {
        Sequential model = Fixtures.model(20, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(model, new SGD(model.params(), 0.1)).quiet().fit(Fixtures.brightness(4, 21)));
        assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(4, 2)"), e.getMessage());
    }

    /** A "model" whose logits are one-hot at the class written in the single pixel; records its mode. */
    private static final class PixelIsTheAnswer extends Layer {
        final int classes;
        boolean sawTraining;

        PixelIsTheAnswer(int classes) {
            this.classes = classes;
        }

        @Override
        public Tensor forward(Tensor x) {
            sawTraining |= isTraining();
            int n = x.dim(0);
            Tensor out = Tensor.zeros(n, classes);
            for (int i = 0; i < n; i++) {
                out.set(5.0, i, (int) x.data()[i]);
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            throw new UnsupportedOperationException();
        }
    }

    private static Dataset pixels(int[] pixelClass, int[] labels) {
        double[] x = Arrays.stream(pixelClass).asDoubleStream().toArray();
        return Dataset.of("pixels", Tensor.of(x, x.length, 1, 1, 1), labels, 3);
    }

    @Test
    void evaluationCountsTheConfusionMatrixInInferenceMode() {
        int[] predicted = {0, 1, 2, 2, 1, 0, 2};
        int[] truth = {0, 1, 2, 1, 1, 2, 2};
        PixelIsTheAnswer model = new PixelIsTheAnswer(3);
        Evaluation ev = Evaluation.of(model, pixels(predicted, truth), 3);
        int[][] expected = {{1, 0, 0}, {0, 2, 1}, {1, 0, 2}};
        assertArrayEquals(expected, ev.confusion());
        assertEquals(5.0 / 7, ev.accuracy());
        assertEquals(7, ev.total());
        assertArrayEquals(new double[] {1.0, 2.0 / 3, 2.0 / 3}, ev.classAccuracy());
        assertFalse(model.sawTraining, "evaluation must run in eval mode");
        assertTrue(model.isTraining(), "training mode is restored");
        model.eval();
        Evaluation.of(model, pixels(predicted, truth));
        assertFalse(model.isTraining(), "a model in eval mode stays there");
        assertTrue(ev.toString().contains("71.43%"), ev.toString());
    }

    @Test
    void predictionGivesLabelsAndProbabilities() {
        int[] pixel = {2, 0, 1, 1};
        Dataset data = pixels(pixel, new int[] {0, 0, 0, 0});
        Prediction p = Prediction.of(new PixelIsTheAnswer(3), data);
        assertArrayEquals(pixel, p.labels());
        double e5 = Math.exp(5);
        for (int i = 0; i < 4; i++) {
            double[] row = Arrays.copyOfRange(p.probabilities().data(), i * 3, i * 3 + 3);
            assertEquals(1.0, row[0] + row[1] + row[2], 1e-12);
            assertEquals(e5 / (e5 + 2), p.confidence(i), 1e-12);
        }
        Prediction one = Prediction.of(new PixelIsTheAnswer(3), Tensor.of(new double[] {1}, 1, 1, 1));
        assertArrayEquals(new int[] {1}, one.labels());
        assertThrows(IllegalArgumentException.class, () -> Prediction.of(new PixelIsTheAnswer(3), Tensor.zeros(2, 2)));
    }

    @Test
    void predictOnADatasetMatchesPredictOnItsTensor() {
        Sequential model = Fixtures.model(22, 2);
        Dataset data = Fixtures.brightness(300, 23);
        Prediction a = Prediction.of(model, data);
        Prediction b = Prediction.of(model, data.all().x());
        assertArrayEquals(b.probabilities().data(), a.probabilities().data());
        assertEquals(300, a.size());
    }
}
