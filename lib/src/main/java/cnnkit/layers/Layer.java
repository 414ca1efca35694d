package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * One step of a network, with its forward pass and its hand-written backward pass.
 *
 * <p>The contract every layer keeps:
 * <ul>
 *   <li>{@link #forward} computes the output and keeps whatever {@link #backward} will need
 *       (usually the input, or a mask);</li>
 *   <li>{@link #backward} takes dL/dOut for the most recent forward, returns dL/dX, and
 *       <b>adds</b> dL/dParam into each {@link Param#grad()}. It never changes weights and
 *       never writes into {@code dOut};</li>
 *   <li>{@link #params()} lists trainable parameters, weight before bias, gamma before beta.</li>
 * </ul>
 * Layers start in training mode; {@link #eval()} switches layers such as dropout and batch
 * normalisation to their inference behaviour.
 */
public abstract class Layer {
    private boolean training = true;

    /** Runs the layer on a batch and caches what backward needs. */
    public abstract Tensor forward(Tensor x);

    /** Returns dL/dX for dL/dOut {@code dOut}, accumulating parameter gradients. */
    public abstract Tensor backward(Tensor dOut);

    /**
     * Backward for a caller that will not use dL/dX, such as a training loop running backward
     * through a whole network (the data itself needs no gradient): accumulates the parameter
     * gradients exactly as {@link #backward} does, but may skip computing dX. Layers that can
     * save work that way override it ({@link Conv2D}, {@link Sequential}).
     */
    public void backwardParamsOnly(Tensor dOut) {
        backward(dOut);
    }

    /** Trainable parameters; empty for layers without any. */
    public List<Param> params() {
        return List.of();
    }

    public void train() {
        training = true;
    }

    public void eval() {
        training = false;
    }

    public boolean isTraining() {
        return training;
    }

    /** Zeroes the gradient of every parameter. */
    public void zeroGrad() {
        for (Param p : params()) {
            p.zeroGrad();
        }
    }

    /** The number of trainable values. */
    public long paramCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.size();
        }
        return n;
    }

    /** A short description with the hyper-parameters, as {@code summary()} tables show it. */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /** Guards backward against being called with no forward pass to refer to. */
    protected static <T> T cached(T value, Layer layer) {
        if (value == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        return value;
    }
}
