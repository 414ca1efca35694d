package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * Inverted dropout; any shape in, same shape out.
 *
 * <p>In training mode each value is kept with probability {@code keepProb} and scaled by
 * {@code 1 / keepProb}, or set to 0: the mask holds {@code 1/keepProb} or 0 per value, and
 * {@code y = x * mask}. Scaling at training time keeps the expected output equal to x, so in
 * evaluation mode the layer is simply the identity. The mask is drawn from this layer's own
 * {@code Random(seed)}: the same seed gives the same sequence of masks. Caches the mask;
 * backward is {@code g * mask} (or g itself after an evaluation-mode forward).
 *
 * <p>Gradient checking needs a fixed function, but every training forward draws a new mask.
 * {@link #freezeMask(boolean) freezeMask(true)} makes later forwards reuse the last mask (as long
 * as the input shape matches); run one forward, freeze, check, then unfreeze.
 */
public class Dropout extends Layer {
    private final double keepProb;
    private final Random rng;
    private boolean frozen;
    private Tensor mask;
    private boolean lastForwardTrained;
    /** The shape of the most recent forward's input (and output), for backward. */
    private int[] inputShape;

    /** Masks drawn from {@code new Random(Init.DEFAULT_SEED)}. */
    public Dropout(double keepProb) {
        this(keepProb, Init.DEFAULT_SEED);
    }

    public Dropout(double keepProb, long seed) {
        if (!(keepProb > 0 && keepProb <= 1)) {
            throw new IllegalArgumentException("Dropout: keepProb must be in (0, 1], got " + keepProb);
        }
        this.keepProb = keepProb;
        this.rng = new Random(seed);
    }

    public double keepProb() {
        return keepProb;
    }

    /**
     * With {@code true}, training forwards reuse the current mask instead of drawing a new one
     * (a new one is still drawn if there is none yet or the input shape changed). For gradient
     * checks and for demonstrating a single mask in notebooks.
     */
    public void freezeMask(boolean freeze) {
        this.frozen = freeze;
    }

    /** A copy of the most recent mask (values 0 or 1/keepProb), or null before any training forward. */
    public Tensor mask() {
        return mask == null ? null : mask.copy();
    }

    @Override
    public Tensor forward(Tensor x) {
        inputShape = x.shape();
        lastForwardTrained = isTraining();
        if (!isTraining()) {
            return x.copy();
        }
        if (!frozen || mask == null || !mask.sameShape(x)) {
            mask = drawMask(x.shape());
        }
        return x.mul(mask);
    }

    private Tensor drawMask(int[] shape) {
        Tensor m = Tensor.zeros(shape);
        double[] md = m.data();
        double scale = 1.0 / keepProb;
        for (int i = 0; i < md.length; i++) {
            md[i] = rng.nextDouble() < keepProb ? scale : 0.0;
        }
        return m;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        ShapeCheck.sameAs(this, "dOut", dOut, requireForward(inputShape));
        if (!lastForwardTrained) {
            return dOut.copy(); // evaluation mode: the layer was the identity
        }
        return dOut.mul(mask);
    }

    @Override
    public String toString() {
        return "Dropout(keep=" + keepProb + ")";
    }
}
