package cnnkit.train;

import cnnkit.data.Batch;
import cnnkit.data.Dataset;
import cnnkit.layers.Init;
import cnnkit.layers.Layer;
import cnnkit.loss.Loss;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.optim.Optimizer;
import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Trains a model with mini-batch gradient descent and reports what happened.
 *
 * <pre>{@code
 * History h = Trainer.of(model, new SoftmaxCrossEntropy(), new SGD(model.params(), 0.05, 0.9, 0))
 *         .epochs(10).batchSize(64).shuffleSeed(1)
 *         .validation(testSet)
 *         .schedule(StepDecay.every(5, 0.5))
 *         .fit(trainSet);
 * }</pre>
 *
 * <p>Each batch: forward, loss, zero the gradients, backward, one optimizer step. Each epoch
 * visits every sample once, in an order shuffled by one {@code Random(shuffleSeed)} created
 * at the start of {@link #fit}, so the same seeds (model initialisation and shuffle) give a
 * bit-identical {@link History}. After each epoch the validation set, if any, is evaluated
 * in inference mode.
 *
 * <p>Any {@link Loss} works. On a labelled {@link Dataset} the targets are the labels as one-hot
 * rows, and accuracy is reported when the loss {@link Loss#classifies() classifies}; for
 * regression, {@link #fit(Tensor, Tensor)} trains on inputs and real-valued targets directly
 * (accuracy is then NaN, and not shown).
 *
 * <p>If a batch's loss is NaN or infinite, training stops before that batch changes the
 * weights, and {@link #fit} returns the history so far with {@link History#diverged()} set and
 * a message that tells the likely cause apart: bad numbers in the batch's inputs or targets
 * (fix the data), a loss that is not finite on the very first batch (before any step: the model
 * or the loss, not the learning rate), or a loss that grew while training (a learning rate too
 * high). Nothing is thrown, so the notebook can still plot what happened.
 *
 * <p>Mistakes caught before training starts: an optimizer whose parameters are not this model's
 * (say, built for a model since rebuilt), and later, a schedule that returns NaN or a negative
 * rate.
 */
public final class Trainer {
    /** Samples per forward pass when evaluating or predicting; bounds memory, not results. */
    public static final int EVAL_BATCH_SIZE = Inference.BATCH_SIZE;

    private final Layer model;
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 1;
    private int batchSize = 32;
    private long shuffleSeed = Init.DEFAULT_SEED;
    private Dataset validation;
    private LearningRateSchedule schedule;
    private double baseLr = Double.NaN;
    private Progress progress = Progress.console();
    private String name;
    private Consumer<History> onEpochEnd = h -> { };

    private Trainer(Layer model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    public static Trainer of(Layer model, Loss loss, Optimizer optimizer) {
        require(model != null && loss != null && optimizer != null, "model, loss and optimizer must not be null");
        return new Trainer(model, loss, optimizer);
    }

    /** With a new {@link SoftmaxCrossEntropy} loss. */
    public static Trainer of(Layer model, Optimizer optimizer) {
        return of(model, new SoftmaxCrossEntropy(), optimizer);
    }

    public Trainer epochs(int epochs) {
        require(epochs > 0, "epochs must be positive, got " + epochs);
        this.epochs = epochs;
        return this;
    }

    public Trainer batchSize(int batchSize) {
        require(batchSize > 0, "batch size must be positive, got " + batchSize);
        this.batchSize = batchSize;
        return this;
    }

    /** Seed of the per-epoch shuffle (default {@link Init#DEFAULT_SEED}); negative keeps the dataset order. */
    public Trainer shuffleSeed(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /** A labelled set evaluated after every epoch (null for none). */
    public Trainer validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /** A learning-rate schedule, applied at the start of each epoch to the optimizer's current rate. */
    public Trainer schedule(LearningRateSchedule schedule) {
        double baseLr = optimizer.lr();
        require(baseLr > 0, "base learning rate must be positive, got " + baseLr);
        this.schedule = schedule;
        this.baseLr = baseLr;
        return this;
    }

    /** The run's label in the history and in comparison charts (default: the model's description). */
    public Trainer name(String name) {
        this.name = name;
        return this;
    }

    /** Where progress goes (default: standard output). */
    public Trainer progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** No progress output. */
    public Trainer quiet() {
        return progress(Progress.quiet());
    }

    /** Called with the history so far after every completed epoch, e.g. to save a checkpoint. */
    public Trainer onEpochEnd(Consumer<History> callback) {
        this.onEpochEnd = callback;
        return this;
    }

    /** Trains on a labelled dataset for the configured epochs and returns what happened. */
    public History fit(Dataset train) {
        require(train.size() > 0, "training set '" + train.name() + "' is empty");
        int k = train.numClasses();
        return fit(new Samples(train.name(), train.size(), true, idx -> {
            Batch b = train.batch(idx);
            return new BatchData(b.x(), b.yOneHot(k), b.y());
        }));
    }

    /**
     * Trains on inputs {@code x (N, ...)} with real-valued targets {@code y (N, ...)}, sample i
     * being x[i] with target y[i] (regression, e.g. with {@link cnnkit.loss.MSELoss}).
     */
    public History fit(Tensor x, Tensor y) {
        require(x.rank() >= 1 && y.rank() >= 1 && x.dim(0) == y.dim(0), "inputs " + Shape.str(x.shape())
                + " and targets " + Shape.str(y.shape()) + " must have the same number of samples (first axis)");
        require(x.dim(0) > 0, "no training samples: inputs " + Shape.str(x.shape()));
        return fit(new Samples("tensors " + Shape.str(x.shape()), x.dim(0), false, idx -> new BatchData(rows(x, idx), rows(y, idx), null)));
    }

    private History fit(Samples train) {
        checkOptimizer();
        int n = train.size();
        int batches = (n + batchSize - 1) / batchSize;
        History history = new History(name != null ? name : model.toString(), batches);
        history.describe(train.name(), n, validation == null ? "" : validation.name(), model.paramCount());
        progress.header(String.format(Locale.ROOT, "training %s on %s: %d samples, %d batches of %d, %d epochs%s",
                history.name(), train.name(), n, batches, batchSize, epochs,
                validation == null ? "" : ", validating on " + validation.name()));
        Random rng = shuffleSeed >= 0 ? new Random(shuffleSeed) : null;
        int[] order = Inference.range(0, n);
        for (int e = 0; e < epochs; e++) {
            double lr = applySchedule(e);
            if (rng != null) {
                Dataset.shuffle(order, rng);
            }
            if (!runEpoch(train, order, e, lr, history)) {
                break;
            }
            onEpochEnd.accept(history);
        }
        return history;
    }

    /** One batch's inputs, targets (shaped like the model's output) and labels (null without classes). */
    private record BatchData(Tensor x, Tensor target, int[] labels) {
    }

    /** Training data as the trainer sees it: a name, a size, whether it has class labels, the batch for given indices. */
    private record Samples(String name, int size, boolean labelled, java.util.function.Function<int[], BatchData> batch) {
    }

    /** What one training step gave: the batch's mean loss and the model's output for the batch. */
    public record StepResult(double loss, Tensor output) {
    }

    /**
     * One training step, the one {@link #fit} takes for every batch: forward, loss against
     * {@code target} (shaped like the model's output), zero the gradients, backward, one optimizer
     * update. If the loss is NaN or infinite, nothing is updated.
     */
    public StepResult step(Tensor x, Tensor target) {
        return step(new BatchData(x, target, null), "the batch");
    }

    private StepResult step(BatchData batch, String dataName) {
        Tensor out = model.forward(batch.x());
        checkOutput(out, batch, dataName);
        double l = loss.forward(out, batch.target());
        if (Double.isFinite(l)) {
            model.zeroGrad();
            model.backwardParamsOnly(loss.backward()); // dL/dInput is never needed here
            optimizer.step();
        }
        return new StepResult(l, out);
    }

    /** One pass over the data; false if training diverged. */
    private boolean runEpoch(Samples train, int[] order, int epoch, double lr, History history) {
        int batches = history.batchesPerEpoch();
        long start = System.nanoTime();
        model.train();
        progress.startEpoch(epoch, epochs, batches);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int b = 0; b < batches; b++) {
            int[] idx = Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
            BatchData batch = train.batch().apply(idx);
            StepResult result = step(batch, train.name());
            Tensor out = result.output();
            double l = result.loss();
            if (!Double.isFinite(l)) {
                diverge(history, epoch, b, l, lr, batch, train);
                return false;
            }
            history.addBatch(l);
            lossSum += l * idx.length;
            if (batch.labels() != null && loss.classifies()) {
                correct += countCorrect(out, batch.labels());
            }
            seen += idx.length;
            progress.batch(b + 1, lossSum / seen, seen);
        }
        double valLoss = Double.NaN;
        double valAcc = Double.NaN;
        if (validation != null) {
            Evaluation ev = Evaluation.of(model, validation, loss, EVAL_BATCH_SIZE);
            valLoss = ev.loss();
            valAcc = loss.classifies() ? ev.accuracy() : Double.NaN;
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        double trainLoss = lossSum / seen;
        boolean accuracy = loss.classifies() && train.labelled();
        double trainAcc = accuracy ? (double) correct / seen : Double.NaN;
        history.addEpoch(trainLoss, trainAcc, valLoss, valAcc, lr, seconds);
        progress.endEpoch(epochSummary(batches, trainLoss, trainAcc, valAcc, lr), seen);
        return true;
    }

    private double applySchedule(int epoch) {
        if (schedule != null) {
            double lr = schedule.lr(epoch, baseLr);
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("Trainer: the learning-rate schedule " + schedule + " returned " + lr
                        + " for epoch " + (epoch + 1) + " (base rate " + shortNumber(baseLr) + "); a learning rate must be"
                        + " a finite number >= 0");
            }
            optimizer.setLr(lr);
            return lr;
        }
        return optimizer.lr();
    }

    /**
     * Every parameter the optimizer updates must be one of the model's (it may update only some,
     * to freeze the others). An optimizer built for another model, e.g. one since rebuilt in a
     * notebook, would otherwise train nothing without a word.
     */
    private void checkOptimizer() {
        Set<Param> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(model.params());
        long foreign = optimizer.params().stream().filter(p -> !own.contains(p)).count();
        if (optimizer.params().isEmpty() || foreign > 0) {
            throw new IllegalArgumentException("Trainer: the optimizer updates " + optimizer.params().size()
                    + " parameter tensors, " + foreign + " of which are not parameters of " + model
                    + "; it was probably built for another model (or for this one before it was rebuilt)."
                    + " Build it from this model: new SGD(model.params(), ...)");
        }
    }

    private static String epochSummary(int batches, double loss, double acc, double valAcc, double lr) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d/%d  loss %.4f", batches, batches, loss));
        if (!Double.isNaN(acc)) {
            sb.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * acc));
        }
        if (!Double.isNaN(valAcc)) {
            sb.append(String.format(Locale.ROOT, "  val %.2f%%", 100 * valAcc));
        }
        if (!Double.isNaN(lr)) {
            sb.append("  lr ").append(shortNumber(lr));
        }
        return sb.toString();
    }

    /** Stops the run with a message that tells bad data, a bad start and a growing loss apart. */
    private void diverge(History history, int epoch, int batch, double loss, double lr, BatchData step, Samples train) {
        int batches = history.batchesPerEpoch();
        String where = String.format(Locale.ROOT, "epoch %d, batch %d/%d (batch %d overall)", epoch + 1, batch + 1,
                batches, epoch * batches + batch + 1);
        String badInput = firstNonFinite(step.x(), "input");
        String badTarget = firstNonFinite(step.target(), "target");
        String msg;
        if (badInput != null || badTarget != null) {
            msg = String.format(Locale.ROOT, "Training stopped: the loss became %s at %s because the data of '%s' is not"
                    + " finite there: %s. Fix the data (check how it was loaded and normalised); this batch took no step.",
                    loss, where, train.name(), badInput != null ? badInput : badTarget);
        } else if (history.batchLosses().length == 0) {
            msg = String.format(Locale.ROOT, "Training stopped: the loss was already %s on the first batch, before any"
                    + " step, so the learning rate is not the cause. The model's output or the loss is not finite for"
                    + " this data: check the initial weights (a layer rebuilt or loaded with NaN?) and the targets.",
                    loss);
        } else {
            double first = history.batchLosses()[0];
            String rate = Double.isNaN(lr) ? "The learning rate is" : "The learning rate " + shortNumber(lr) + " is";
            String hint = Double.isNaN(lr) ? "try a lower one" : "try a lower one, e.g. " + shortNumber(lr / 10);
            msg = String.format(Locale.ROOT, "Training stopped: the loss grew from %.4g on the first batch to %s at %s."
                    + " %s probably too high; %s and rebuild the model, whose weights may already be ruined."
                    + " The history up to the previous batch is kept.", first, loss, where, rate, hint);
        }
        history.stop(msg);
        progress.println("WARNING: " + msg);
    }

    /** "input 3 of the batch holds NaN at position 17", or null if every value is finite. */
    private static String firstNonFinite(Tensor t, String what) {
        double[] d = t.data();
        int per = t.dim(0) == 0 ? 1 : Math.max(1, d.length / t.dim(0));
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                return what + " " + (i / per + 1) + " of the batch holds " + d[i] + " at position " + (i % per);
            }
        }
        return null;
    }

    // ---- evaluation and prediction live in Evaluation and Prediction ----

    /** The same as {@link Evaluation#of(Layer, Dataset)}. */
    @Deprecated
    public static Evaluation evaluate(Layer model, Dataset data) {
        return Evaluation.of(model, data);
    }

    /** The same as {@link Prediction#of(Layer, Dataset)}. */
    @Deprecated
    public static Prediction predict(Layer model, Dataset data) {
        return Prediction.of(model, data);
    }

    /** The same as {@link Prediction#of(Layer, Tensor)}. */
    @Deprecated
    public static Prediction predict(Layer model, Tensor x) {
        return Prediction.of(model, x);
    }

    // ---- helpers ----

    private static void checkOutput(Tensor out, BatchData batch, String dataName) {
        if (!out.sameShape(batch.target())) {
            String expected = batch.labels() != null ? "logits " + Shape.str(batch.target().shape())
                    + " (one score per class)" : Shape.str(batch.target().shape()) + ", the shape of the targets";
            throw new IllegalArgumentException("Trainer: the model returned " + Shape.str(out.shape())
                    + " for a batch of " + batch.x().dim(0) + " samples of '" + dataName + "'; expected " + expected);
        }
    }

    /** The samples {@code idx} of {@code t} (along its first axis), in that order. */
    private static Tensor rows(Tensor t, int[] idx) {
        int per = t.size() / t.dim(0);
        double[] d = new double[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(t.data(), idx[i] * per, d, i * per, per);
        }
        int[] shape = t.shape();
        shape[0] = idx.length;
        return Tensor.of(d, shape);
    }

    private static long countCorrect(Tensor logits, int[] labels) {
        int[] predicted = Prediction.argmaxRows(logits);
        long c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /** Three significant digits without trailing zeros: 0.05, 0.0025, 1e-05 as 0.00001. */
    static String shortNumber(double x) {
        return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Trainer: " + message);
        }
    }
}
