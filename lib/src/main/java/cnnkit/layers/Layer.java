package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Buffer;
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
 *   <li>{@link #params()} lists trainable parameters, weight before bias, gamma before beta;
 *       {@link #buffers()} lists the tensors it keeps without training them.</li>
 * </ul>
 * Layers start in training mode; {@link #eval()} switches layers such as dropout and batch
 * normalisation to their inference behaviour.
 *
 * <p>Layers with heavy work (convolution, fully connected, pooling, activations) write it twice:
 * as loops that read like the formulas, and as one call into {@link Engine}, which computes the
 * same numbers faster. {@link #useEngine(boolean)} chooses for one layer; by default a layer
 * follows {@link Engine#enabled()}.
 */
public abstract class Layer {
    private boolean training = true;
    /** null: follow {@link Engine#enabled()}. */
    private Boolean engine;
    private boolean inputGradientWanted = true;

    /** Runs the layer on a batch and caches what backward needs. */
    public abstract Tensor forward(Tensor x);

    /** Returns dL/dX for dL/dOut {@code dOut}, accumulating parameter gradients. */
    public abstract Tensor backward(Tensor dOut);

    /**
     * Backward for a caller that will not use dL/dX, such as a training loop (the data needs no
     * gradient): runs {@link #backward}, which accumulates the parameter gradients as always, and
     * tells it through {@link #inputGradientWanted()} that it may skip computing dX.
     */
    public final void backwardParamsOnly(Tensor dOut) {
        inputGradientWanted = false;
        try {
            backward(dOut);
        } finally {
            inputGradientWanted = true;
        }
    }

    /** False while {@link #backwardParamsOnly} runs: backward may then skip dX (and return null). */
    protected final boolean inputGradientWanted() {
        return inputGradientWanted;
    }

    /**
     * The smallest input height (or width) for which this layer runs and its output is at least
     * {@code outputSize} high: the layer's size arithmetic run backwards. Layers that keep the
     * size return {@code outputSize}; layers after which the size no longer matters (flatten,
     * global pooling, fully connected) return 1. A model uses it to work out the smallest input
     * its architecture accepts.
     */
    public int minInputSize(int outputSize) {
        return outputSize;
    }

    /** Trainable parameters; empty for layers without any. */
    public List<Param> params() {
        return List.of();
    }

    /**
     * Tensors the layer keeps but does not train (batch normalisation's running statistics), in a
     * fixed order; model files save them next to {@link #params()}. Empty for most layers. A layer
     * that still lists them through {@link HasState} has them turned into buffers here (the same
     * tensors, not copies).
     */
    public List<Buffer> buffers() {
        if (this instanceof HasState stateful) {
            return stateful.state().stream().map(p -> new Buffer(p.name(), p.value())).toList();
        }
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

    /**
     * Whether this layer hands its heavy work to the {@link Engine} ({@code true}) or runs its
     * teaching loops ({@code false}); the numbers agree either way. Returns this layer.
     */
    public Layer useEngine(boolean on) {
        engine = on;
        return this;
    }

    /** Whether forward and backward use the {@link Engine}: this layer's setting, else the global one. */
    public boolean usesEngine() {
        return engine != null ? engine : Engine.enabled();
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

    /**
     * The "forward must come first" guard: returns what forward cached for backward, or fails
     * with a clear message if there is nothing, because backward has no forward pass to refer to.
     */
    protected final <T> T requireForward(T cached) {
        if (cached == null) {
            throw new IllegalStateException(this + ": backward called before forward (backward needs what the"
                    + " most recent forward cached; run forward on the batch first)");
        }
        return cached;
    }

    /** The guard under its former name, kept for the batch-norm files until they call {@link #requireForward}. */
    @Deprecated
    protected static <T> T cached(T value, Layer layer) {
        return layer.requireForward(value);
    }
}
