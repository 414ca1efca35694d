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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * What happened during one training run: the loss of every batch, and one {@link Epoch} record
 * per epoch with the mean training loss, the training accuracy, the validation loss and
 * accuracy, the learning rate and the wall-clock seconds. The arrays such as {@link #trainLoss()}
 * are columns of those records, for plotting.
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
    /**
     * What one epoch gave: the mean training loss, the training accuracy (NaN when the loss is
     * not a classification loss), the validation loss and accuracy (NaN without validation), the
     * learning rate and the wall-clock seconds, validation included.
     */
    public record Epoch(double trainLoss, double trainAccuracy, double valLoss, double valAccuracy, double lr,
            double seconds) {
    }

    static final String[] CSV_HEADER = {"run", "series", "index", "value"};
    /** The per-epoch series of the CSV form, in file order, with the field of {@link Epoch} each holds. */
    private static final Map<String, java.util.function.ToDoubleFunction<Epoch>> SERIES = seriesInOrder();

    private String name;
    private int batchesPerEpoch;
    private final List<Double> batchLoss = new ArrayList<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private String stopReason = "";
    private String trainSet = "";
    private int trainSize;
    private String validationSet = "";
    private long paramCount;

    History(String name, int batchesPerEpoch) {
        this.name = name;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    private static Map<String, java.util.function.ToDoubleFunction<Epoch>> seriesInOrder() {
        Map<String, java.util.function.ToDoubleFunction<Epoch>> m = new LinkedHashMap<>();
        m.put("train_loss", Epoch::trainLoss);
        m.put("train_acc", Epoch::trainAccuracy);
        m.put("val_loss", Epoch::valLoss);
        m.put("val_acc", Epoch::valAccuracy);
        m.put("lr", Epoch::lr);
        m.put("seconds", Epoch::seconds);
        return m;
    }

    // ---- recording (the trainer and the CSV reader) ----

    void addBatch(double loss) {
        batchLoss.add(loss);
    }

    void addEpoch(double trainLoss, double trainAcc, double valLoss, double valAcc, double lr, double seconds) {
        epochs.add(new Epoch(trainLoss, trainAcc, valLoss, valAcc, lr, seconds));
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
        h.epochs.addAll(epochs);
        h.stopReason = stopReason;
        h.describe(trainSet, trainSize, validationSet, paramCount);
        return h;
    }

    /** Completed epochs. */
    public int epochs() {
        return epochs.size();
    }

    /** The record of every completed epoch, in order. */
    public List<Epoch> epochList() {
        return List.copyOf(epochs);
    }

    /** The record of epoch {@code e} (counting from 0). */
    public Epoch epoch(int e) {
        return epochs.get(e);
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
        return column(Epoch::trainLoss);
    }

    /** Fraction of training samples classified correctly during each epoch, 0..1. */
    public double[] trainAccuracy() {
        return column(Epoch::trainAccuracy);
    }

    /** Mean loss on the validation set after each epoch ({@code NaN} without validation). */
    public double[] valLoss() {
        return column(Epoch::valLoss);
    }

    /** Validation accuracy after each epoch, 0..1 ({@code NaN} without validation). */
    public double[] valAccuracy() {
        return column(Epoch::valAccuracy);
    }

    /** The learning rate used in each epoch. */
    public double[] learningRates() {
        return column(Epoch::lr);
    }

    /** Wall-clock seconds of each epoch, validation included. */
    public double[] seconds() {
        return column(Epoch::seconds);
    }

    public double totalSeconds() {
        double s = 0;
        for (Epoch e : epochs) {
            s += e.seconds();
        }
        return s;
    }

    public boolean hasValidation() {
        return epochs.stream().anyMatch(e -> !Double.isNaN(e.valAccuracy()));
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
        Epoch last = epochs.get(epochs() - 1);
        return Double.isNaN(last.valAccuracy()) ? last.trainAccuracy() : last.valAccuracy();
    }

    /** A value in {@code format}, or "-" when it was not measured (NaN). */
    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private double[] column(java.util.function.ToDoubleFunction<Epoch> value) {
        return epochs.stream().mapToDouble(value).toArray();
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
            Epoch r = epochs.get(e);
            sb.append(String.format(Locale.ROOT, "%5d %10s %9s %10s %9s %10s %8.1f%n", e + 1,
                    number(r.trainLoss(), "%.4f"), number(100 * r.trainAccuracy(), "%.2f%%"),
                    number(r.valLoss(), "%.4f"), number(100 * r.valAccuracy(), "%.2f%%"),
                    number(r.lr(), "%.4g"), r.seconds()));
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
            printSeries(csv, "batch_loss", batchLosses());
            for (var series : SERIES.entrySet()) {
                printSeries(csv, series.getKey(), column(series.getValue()));
            }
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

    private void printSeries(CSVPrinter csv, String series, double[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            csv.printRecord(name, series, i, Double.toString(values[i]));
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
            Map<String, List<Double>> columns = new LinkedHashMap<>();
            SERIES.keySet().forEach(k -> columns.put(k, new ArrayList<>()));
            for (CSVRecord rec : parser) {
                if (h == null) {
                    h = new History(rec.get("run"), 0);
                }
                readRecord(h, columns, rec, file);
            }
            if (h == null) {
                throw new IllegalArgumentException(file + ": no rows, not a saved History");
            }
            h.addEpochs(columns, file);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readRecord(History h, Map<String, List<Double>> columns, CSVRecord rec, Path file) {
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
                default -> {
                    if (!columns.containsKey(series)) {
                        throw new IllegalArgumentException("unknown series '" + series + "'");
                    }
                    append(columns.get(series), index, value);
                }
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

    /** Turns the per-epoch series read from a file into epoch records; all must have the same length. */
    private void addEpochs(Map<String, List<Double>> columns, Path file) {
        int n = columns.get("train_loss").size();
        if (columns.values().stream().anyMatch(c -> c.size() != n)) {
            throw new IllegalArgumentException(file + ": per-epoch series have different lengths (train_loss has "
                    + n + " epochs); the file is incomplete");
        }
        for (int e = 0; e < n; e++) {
            epochs.add(new Epoch(columns.get("train_loss").get(e), columns.get("train_acc").get(e),
                    columns.get("val_loss").get(e), columns.get("val_acc").get(e), columns.get("lr").get(e),
                    columns.get("seconds").get(e)));
        }
    }
}
