package cnnkit.train;

import cnnkit.layers.Layer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Keeps the weights of the epoch with the best validation accuracy, so that the number of epochs
 * is chosen on the validation set (early stopping, decided after the run) and never on the test set.
 *
 * <pre>{@code
 * BestEpoch best = new BestEpoch(model, Path.of("../build/models/best.cnnk"));
 * History h = Trainer.of(model, adam).epochs(5).validation(val).onEpochEnd(best).fit(train);
 * best.restore();   // the model is now as it was after best.epoch()
 * }</pre>
 *
 * <p>Each improvement is written to a model file with {@link ModelFile#save}, which also keeps
 * non-trainable state such as batch normalisation's running averages; {@link #restore} loads it
 * back. Ties keep the earlier epoch.
 */
public final class BestEpoch implements Consumer<History> {
    private final Layer model;
    private final Path file;
    private int epoch;
    private double accuracy = Double.NEGATIVE_INFINITY;

    /** @param file where the best weights are kept; its folder is created if needed */
    public BestEpoch(Layer model, Path file) {
        this.model = model;
        this.file = file;
    }

    /** Offers the epoch that {@code h} has just completed; {@code h} must have a validation set. */
    @Override
    public void accept(History h) {
        int e = h.epochs();
        if (!h.hasValidation()) {
            throw new IllegalStateException("BestEpoch: the run '" + h.name() + "' has no validation set;"
                    + " give the trainer one with validation(...)");
        }
        offer(e, h.valAccuracy()[e - 1]);
    }

    /** Saves the model's current weights if {@code valAccuracy} beats every earlier offer; true if it did. */
    public boolean offer(int epochNumber, double valAccuracy) {
        if (!(valAccuracy > accuracy)) {
            return false;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BestEpoch: cannot create the folder of " + file, e);
        }
        ModelFile.save(model, file);
        epoch = epochNumber;
        accuracy = valAccuracy;
        return true;
    }

    /** Loads the best epoch's weights back into the model. */
    public void restore() {
        if (epoch == 0) {
            throw new IllegalStateException("BestEpoch: no epoch was offered yet, nothing to restore");
        }
        ModelFile.load(model, file);
    }

    /** The best epoch, counted from 1 (0 before any). */
    public int epoch() {
        return epoch;
    }

    /** Its validation accuracy. */
    public double accuracy() {
        return accuracy;
    }

    @Override
    public String toString() {
        return epoch == 0 ? "BestEpoch(none yet)"
                : String.format(Locale.ROOT, "best validation accuracy %.2f%% after epoch %d", 100 * accuracy, epoch);
    }
}
