package cnnkit.train;

import cnnkit.data.Batch;
import cnnkit.data.Dataset;
import cnnkit.layers.Init;
import cnnkit.layers.Layer;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.optim.Optimizer;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Trains a classifier with mini-batch gradient descent and reports what happened.
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
 * <p>If a batch's loss is NaN or infinite, training stops before that batch changes the
 * weights, a message names the batch and suggests a lower learning rate, and {@link #fit}
 * returns the history so far with {@link History#diverged()} set; nothing is thrown, so
 * the notebook can still plot what happened.
 */
public final class Trainer {
    /** Samples per forward pass when evaluating or predicting; bounds memory, not results. */
    public static final int EVAL_BATCH_SIZE = 256;

    private final Layer model;
    private final SoftmaxCrossEntropy loss;
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

    private Trainer(Layer model, SoftmaxCrossEntropy loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    public static Trainer of(Layer model, SoftmaxCrossEntropy loss, Optimizer optimizer) {
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

    /** Trains for the configured epochs and returns what happened. */
    public History fit(Dataset train) {
        require(train.size() > 0, "training set '" + train.name() + "' is empty");
        int n = train.size();
        int batches = (n + batchSize - 1) / batchSize;
        History history = new History(name != null ? name : model.toString(), batches);
        history.describe(train.name(), n, validation == null ? "" : validation.name(), model.paramCount());
        progress.header(String.format(Locale.ROOT, "training %s on %s: %d samples, %d batches of %d, %d epochs%s",
                history.name(), train.name(), n, batches, batchSize, epochs,
                validation == null ? "" : ", validating on " + validation.name()));
        Random rng = shuffleSeed >= 0 ? new Random(shuffleSeed) : null;
        int[] order = range(0, n);
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

    /** One pass over the data; false if training diverged. */
    private boolean runEpoch(Dataset train, int[] order, int epoch, double lr, History history) {
        int batches = history.batchesPerEpoch();
        long start = System.nanoTime();
        model.train();
        progress.startEpoch(epoch, epochs, batches);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int b = 0; b < batches; b++) {
            int[] idx = Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
            Batch batch = train.batch(idx);
            Tensor logits = model.forward(batch.x());
            checkLogits(logits, batch.size(), train);
            double l = loss.forward(logits, batch.y());
            if (!Double.isFinite(l)) {
                diverge(history, epoch, b, l, lr);
                return false;
            }
            model.zeroGrad();
            model.backwardParamsOnly(loss.backward()); // dL/dInput is never needed here
            optimizer.step();
            history.addBatch(l);
            lossSum += l * batch.size();
            correct += countCorrect(logits, batch.y());
            seen += batch.size();
            progress.batch(b + 1, lossSum / seen, seen);
        }
        double valLoss = Double.NaN;
        double valAcc = Double.NaN;
        if (validation != null) {
            Evaluation ev = evaluate(model, validation);
            valLoss = ev.loss();
            valAcc = ev.accuracy();
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        double trainLoss = lossSum / seen;
        double trainAcc = (double) correct / seen;
        history.addEpoch(trainLoss, trainAcc, valLoss, valAcc, lr, seconds);
        progress.endEpoch(epochSummary(batches, trainLoss, trainAcc, valAcc, lr), seen);
        return true;
    }

    private double applySchedule(int epoch) {
        if (schedule != null) {
            double lr = schedule.lr(epoch, baseLr);
            optimizer.setLr(lr);
            return lr;
        }
        return optimizer.lr();
    }

    private static String epochSummary(int batches, double loss, double acc, double valAcc, double lr) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d/%d  loss %.4f  acc %.2f%%", batches, batches, loss, 100 * acc));
        if (!Double.isNaN(valAcc)) {
            sb.append(String.format(Locale.ROOT, "  val %.2f%%", 100 * valAcc));
        }
        if (!Double.isNaN(lr)) {
            sb.append("  lr ").append(shortNumber(lr));
        }
        return sb.toString();
    }

    private void diverge(History history, int epoch, int batch, double loss, double lr) {
        int batches = history.batchesPerEpoch();
        String rate = Double.isNaN(lr) ? "The learning rate is" : "The learning rate " + shortNumber(lr) + " is";
        String hint = Double.isNaN(lr) ? "try a lower one" : "try a lower one, e.g. " + shortNumber(lr / 10);
        String msg = String.format(Locale.ROOT,
                "Training stopped: the loss became %s at epoch %d, batch %d/%d (batch %d overall). %s probably"
                        + " too high; %s and rebuild the model, whose weights may already be ruined."
                        + " The history up to the previous batch is kept.",
                loss, epoch + 1, batch + 1, batches, epoch * batches + batch + 1, rate, hint);
        history.stop(msg);
        progress.println("WARNING: " + msg);
    }

    // ---- evaluation and prediction ----

    /** Accuracy, loss and confusion matrix of {@code model} on {@code data}, in inference mode. */
    public static Evaluation evaluate(Layer model, Dataset data) {
        return evaluate(model, data, EVAL_BATCH_SIZE);
    }

    /**
     * Like {@link #evaluate(Layer, Dataset)} with {@code batchSize} samples per forward pass.
     * The model is switched to {@link Layer#eval()} and back to training mode afterwards if it
     * was training.
     */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize) {
        require(batchSize > 0, "batch size must be positive, got " + batchSize);
        return inEvalMode(model, () -> {
            int k = data.numClasses();
            int[][] confusion = new int[k][k];
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            double lossSum = 0;
            for (int start = 0; start < data.size(); start += batchSize) {
                Batch b = data.batch(range(start, Math.min(data.size(), start + batchSize)));
                Tensor logits = model.forward(b.x());
                checkLogits(logits, b.size(), data);
                lossSum += ce.forward(logits, b.y()) * b.size();
                int[] predicted = Prediction.argmaxRows(logits);
                for (int i = 0; i < predicted.length; i++) {
                    confusion[b.y()[i]][predicted[i]]++;
                }
            }
            return new Evaluation(data.name(), data.size() == 0 ? Double.NaN : lossSum / data.size(), confusion);
        });
    }

    /** Predicted labels and class probabilities for every sample of {@code data}, in order. */
    public static Prediction predict(Layer model, Dataset data) {
        return inEvalMode(model, () -> {
            int k = 0;
            double[] logits = null;
            for (int start = 0; start < data.size(); start += EVAL_BATCH_SIZE) {
                Batch b = data.batch(range(start, Math.min(data.size(), start + EVAL_BATCH_SIZE)));
                Tensor out = model.forward(b.x());
                checkLogits(out, b.size(), data);
                if (logits == null) {
                    k = out.dim(1);
                    logits = new double[data.size() * k];
                }
                System.arraycopy(out.data(), 0, logits, start * k, out.size());
            }
            require(logits != null, "dataset '" + data.name() + "' is empty");
            return Prediction.fromLogits(Tensor.of(logits, data.size(), k));
        });
    }

    /** Predictions for images {@code x (N, C, H, W)}, or for one image {@code (C, H, W)}, in mini-batches. */
    public static Prediction predict(Layer model, Tensor x) {
        Tensor images = x.rank() == 3 ? x.reshape(1, x.dim(0), x.dim(1), x.dim(2)) : x;
        if (images.rank() != 4) {
            throw new IllegalArgumentException("Trainer.predict: expected images (N, C, H, W) or one image (C, H, W), got "
                    + Shape.str(x.shape()));
        }
        int n = images.dim(0);
        int per = images.size() / Math.max(1, n);
        return inEvalMode(model, () -> {
            double[] logits = null;
            int k = 0;
            for (int start = 0; start < n; start += EVAL_BATCH_SIZE) {
                int end = Math.min(n, start + EVAL_BATCH_SIZE);
                Tensor chunk = Tensor.of(Arrays.copyOfRange(images.data(), start * per, end * per),
                        end - start, images.dim(1), images.dim(2), images.dim(3));
                Tensor out = model.forward(chunk);
                if (out.rank() != 2 || out.dim(0) != end - start) {
                    throw new IllegalArgumentException("Trainer: model output " + Shape.str(out.shape()) + " for input "
                            + Shape.str(chunk.shape()) + "; expected logits (" + (end - start) + ", K)");
                }
                if (logits == null) {
                    k = out.dim(1);
                    logits = new double[n * k];
                }
                System.arraycopy(out.data(), 0, logits, start * k, out.size());
            }
            require(logits != null, "no images to predict");
            return Prediction.fromLogits(Tensor.of(logits, n, k));
        });
    }

    /** Runs {@code work} with the model in inference mode, then restores training mode if it was on. */
    static <T> T inEvalMode(Layer model, Supplier<T> work) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return work.get();
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    // ---- helpers ----

    private static void checkLogits(Tensor logits, int batch, Dataset data) {
        if (logits.rank() != 2 || logits.dim(0) != batch || logits.dim(1) != data.numClasses()) {
            throw new IllegalArgumentException("Trainer: the model returned " + Shape.str(logits.shape())
                    + " for a batch of " + batch + " samples of '" + data.name() + "'; expected logits "
                    + Shape.str(batch, data.numClasses()) + " (one score per class)");
        }
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

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
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
