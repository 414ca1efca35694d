package cnnkit.train;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * What happened during one training run: the loss of every batch, and per epoch the mean
 * training loss, the training accuracy, the validation loss and accuracy, the learning rate
 * and the wall-clock seconds.
 *
 * <p>Training accuracy is counted on the fly while the epoch runs, so it mixes predictions
 * made by slightly different weights (as most frameworks report it). Validation values are
 * {@code NaN} when the run had no validation set. A run that diverged (a NaN or infinite
 * loss) keeps everything up to the last finite batch and says why it stopped.
 *
 * <p>The trainer also records what was trained on what: the training set's name and size, the
 * validation set's name and the model's parameter count, so that a saved history can be
 * compared with others later (notebook 12 tables them) without the notebook that made it.
 *
 * <p>Apart from the seconds, the numbers depend only on the seeds, so two runs with the same
 * seeds give bit-identical histories.
 */
public final class History {
    static final String[] CSV_HEADER = {"run", "series", "index", "value"};

    private String name;
    private int batchesPerEpoch;
    private final List<Double> batchLoss = new ArrayList<>();
    private final List<Double> trainLoss = new ArrayList<>();
    private final List<Double> trainAcc = new ArrayList<>();
    private final List<Double> valLoss = new ArrayList<>();
    private final List<Double> valAcc = new ArrayList<>();
    private final List<Double> lr = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();
    private String stopReason = "";
    private String trainSet = "";
    private int trainSize;
    private String validationSet = "";
    private long paramCount;

    History(String name, int batchesPerEpoch) {
        this.name = name;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    // ---- recording (the trainer and the CSV reader) ----

    void addBatch(double loss) {
        batchLoss.add(loss);
    }

    void addEpoch(double trainLoss, double trainAcc, double valLoss, double valAcc, double lr, double seconds) {
        this.trainLoss.add(trainLoss);
        this.trainAcc.add(trainAcc);
        this.valLoss.add(valLoss);
        this.valAcc.add(valAcc);
        this.lr.add(lr);
        this.seconds.add(seconds);
    }

    void stop(String reason) {
        this.stopReason = reason;
    }

    /** What the run trains: the training set's name and size, the validation set's name, the model's size. */
    void describe(String trainSetName, int trainSetSize, String validationSetName, long params) {
        this.trainSet = trainSetName;
        this.trainSize = trainSetSize;
        this.validationSet = validationSetName;
        this.paramCount = params;
    }

    // ---- reading ----

    /** The run's label, used in legends when runs are compared. */
    public String name() {
        return name;
    }

    /** A copy of this history under another label, e.g. to tell runs apart in a comparison chart. */
    public History named(String newName) {
        History h = new History(newName, batchesPerEpoch);
        h.batchLoss.addAll(batchLoss);
        h.trainLoss.addAll(trainLoss);
        h.trainAcc.addAll(trainAcc);
        h.valLoss.addAll(valLoss);
        h.valAcc.addAll(valAcc);
        h.lr.addAll(lr);
        h.seconds.addAll(seconds);
        h.stopReason = stopReason;
        h.describe(trainSet, trainSize, validationSet, paramCount);
        return h;
    }

    /** Completed epochs. */
    public int epochs() {
        return trainLoss.size();
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The loss of every batch, in training order. */
    public double[] batchLosses() {
        return toArray(batchLoss);
    }

    /** Mean batch loss of each epoch. */
    public double[] trainLoss() {
        return toArray(trainLoss);
    }

    /** Fraction of training samples classified correctly during each epoch, 0..1. */
    public double[] trainAccuracy() {
        return toArray(trainAcc);
    }

    /** Mean loss on the validation set after each epoch ({@code NaN} without validation). */
    public double[] valLoss() {
        return toArray(valLoss);
    }

    /** Validation accuracy after each epoch, 0..1 ({@code NaN} without validation). */
    public double[] valAccuracy() {
        return toArray(valAcc);
    }

    /** The learning rate used in each epoch. */
    public double[] learningRates() {
        return toArray(lr);
    }

    /** Wall-clock seconds of each epoch, validation included. */
    public double[] seconds() {
        return toArray(seconds);
    }

    public double totalSeconds() {
        double s = 0;
        for (double x : seconds) {
            s += x;
        }
        return s;
    }

    public boolean hasValidation() {
        return valAcc.stream().anyMatch(v -> !v.isNaN());
    }

    /** True when training stopped early because the loss became NaN or infinite. */
    public boolean diverged() {
        return !stopReason.isEmpty();
    }

    /** Why training stopped early, or an empty string when it ran all its epochs. */
    public String stopReason() {
        return stopReason;
    }

    /** The training set's name, e.g. "MNIST train" ("" if not recorded). */
    public String trainSet() {
        return trainSet;
    }

    /** Training samples per epoch (0 if not recorded). */
    public int trainSize() {
        return trainSize;
    }

    /** The validation set's name ("" without validation or if not recorded). */
    public String validationSet() {
        return validationSet;
    }

    /** The model's trainable values when it was trained (0 if not recorded). */
    public long paramCount() {
        return paramCount;
    }

    /** Mean wall-clock seconds per epoch (NaN before the first epoch). */
    public double secondsPerEpoch() {
        return epochs() == 0 ? Double.NaN : totalSeconds() / epochs();
    }

    /** Accuracy of the last epoch on the validation set, else on the training set; NaN if none. */
    public double finalAccuracy() {
        if (epochs() == 0) {
            return Double.NaN;
        }
        double v = valAcc.get(epochs() - 1);
        return Double.isNaN(v) ? trainAcc.get(epochs() - 1) : v;
    }

    /** A value in {@code format}, or "-" when it was not measured (NaN). */
    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static double[] toArray(List<Double> list) {
        double[] a = new double[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    /** One row per epoch, for printing in a notebook. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "History '%s': %d epochs of %d batches%s%n", name, epochs(),
                batchesPerEpoch, diverged() ? " (diverged)" : ""));
        sb.append(String.format(Locale.ROOT, "%5s %10s %9s %10s %9s %10s %8s%n",
                "epoch", "loss", "acc", "val loss", "val acc", "lr", "seconds"));
        for (int e = 0; e < epochs(); e++) {
            sb.append(String.format(Locale.ROOT, "%5d %10s %9s %10s %9s %10s %8.1f%n", e + 1,
                    number(trainLoss.get(e), "%.4f"), number(100 * trainAcc.get(e), "%.2f%%"),
                    number(valLoss.get(e), "%.4f"), number(100 * valAcc.get(e), "%.2f%%"),
                    number(lr.get(e), "%.4g"), seconds.get(e)));
        }
        if (diverged()) {
            sb.append(stopReason).append('\n');
        }
        return sb.toString();
    }

    // ---- CSV ----

    /**
     * Saves the history as CSV in long form, one value per row:
     * {@code run,series,index,value}, where series is one of {@code batches_per_epoch},
     * {@code batch_loss}, {@code train_loss}, {@code train_acc}, {@code val_loss}, {@code val_acc},
     * {@code lr}, {@code seconds} or {@code stop} (whose value is the reason text), and index
     * counts batches or epochs from 0. Values are written with {@link Double#toString}, which
     * reads back to the identical double. The file is written atomically.
     */
    public void saveCsv(Path file) {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).build());
            csv.printRecord(name, "batches_per_epoch", 0, batchesPerEpoch);
            printSeries(csv, "batch_loss", batchLoss);
            printSeries(csv, "train_loss", trainLoss);
            printSeries(csv, "train_acc", trainAcc);
            printSeries(csv, "val_loss", valLoss);
            printSeries(csv, "val_acc", valAcc);
            printSeries(csv, "lr", lr);
            printSeries(csv, "seconds", seconds);
            if (diverged()) {
                csv.printRecord(name, "stop", 0, stopReason);
            }
            csv.printRecord(name, "train_set", 0, trainSet);
            csv.printRecord(name, "train_size", 0, trainSize);
            csv.printRecord(name, "val_set", 0, validationSet);
            csv.printRecord(name, "params", 0, paramCount);
            csv.flush();
        });
    }

    private void printSeries(CSVPrinter csv, String series, List<Double> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            csv.printRecord(name, series, i, Double.toString(values.get(i)));
        }
    }

    /**
     * Reads a history written by {@link #saveCsv}; a malformed file fails naming the file and line.
     * Files written before the run description was recorded read with an empty description.
     */
    public static History loadCsv(Path file) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).setSkipHeaderRecord(true).build();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = format.parse(r)) {
            History h = null;
            for (CSVRecord rec : parser) {
                if (h == null) {
                    h = new History(rec.get("run"), 0);
                }
                readRecord(h, rec, file);
            }
            if (h == null) {
                throw new IllegalArgumentException(file + ": no rows, not a saved History");
            }
            h.checkLengths(file);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readRecord(History h, CSVRecord rec, Path file) {
        String series = rec.get("series");
        String value = rec.get("value");
        try {
            int index = Integer.parseInt(rec.get("index"));
            switch (series) {
                case "batches_per_epoch" -> h.batchesPerEpoch = Integer.parseInt(value);
                case "stop" -> h.stopReason = value;
                case "train_set" -> h.trainSet = value;
                case "train_size" -> h.trainSize = Integer.parseInt(value);
                case "val_set" -> h.validationSet = value;
                case "params" -> h.paramCount = Long.parseLong(value);
                case "batch_loss" -> append(h.batchLoss, index, value);
                case "train_loss" -> append(h.trainLoss, index, value);
                case "train_acc" -> append(h.trainAcc, index, value);
                case "val_loss" -> append(h.valLoss, index, value);
                case "val_acc" -> append(h.valAcc, index, value);
                case "lr" -> append(h.lr, index, value);
                case "seconds" -> append(h.seconds, index, value);
                default -> throw new IllegalArgumentException("unknown series '" + series + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ", line " + rec.getParser().getCurrentLineNumber() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void append(List<Double> list, int index, String value) {
        if (index != list.size()) {
            throw new IllegalArgumentException("expected index " + list.size() + ", got " + index);
        }
        list.add(Double.parseDouble(value));
    }

    private void checkLengths(Path file) {
        int n = trainLoss.size();
        if (trainAcc.size() != n || valLoss.size() != n || valAcc.size() != n || lr.size() != n
                || seconds.size() != n) {
            throw new IllegalArgumentException(file + ": per-epoch series have different lengths (train_loss has "
                    + n + " epochs); the file is incomplete");
        }
    }
}
