package cnnkit.layers;

import cnnkit.tensor.Buffer;
import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer built from smaller layers: a chain ({@link Sequential}) or a fixed graph such as a
 * residual block or an Inception module. Subclasses register their parts, in the order their
 * parameters should be listed, and write {@code forward}/{@code backward} themselves so that
 * every split and every sum of gradients is visible in the code.
 *
 * <p>What this base class adds: {@link #params()} is the parts' parameters in registration order
 * (stable from run to run), and {@link #train()}/{@link #eval()} and {@link #useEngine(boolean)}
 * reach every part, so batch normalisation inside a block switches mode together with the
 * network. In a {@link Sequential#summary summary} a composite layer is one row with its total
 * parameter count.
 */
public abstract class CompositeLayer extends Layer {
    private final List<Layer> parts = new ArrayList<>();

    /** Registers {@code part} (in parameter order) and returns it, for use in field initialisers. */
    protected final <T extends Layer> T part(T part) {
        parts.add(part);
        return part;
    }

    /** The registered parts, in registration order. */
    public List<Layer> parts() {
        return List.copyOf(parts);
    }

    /** The number of registered parts. */
    protected final int partCount() {
        return parts.size();
    }

    /** Part {@code i}, in registration order. */
    protected final Layer part(int i) {
        return parts.get(i);
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer p : parts) {
            all.addAll(p.params());
        }
        return List.copyOf(all);
    }

    /**
     * The largest of the parts' smallest inputs: right for parts that run side by side (branches,
     * a main path and a shortcut) and for parts in a row that keep the size; a chain that changes
     * the size is a {@link Sequential}, which works it out layer by layer.
     */
    @Override
    public int minInputSize(int outputSize) {
        int size = 1;
        for (Layer p : parts) {
            size = Math.max(size, p.minInputSize(outputSize));
        }
        return size;
    }

    /** The parts' buffers, in registration order (or the composite's own list, if it keeps one). */
    @Override
    public List<Buffer> buffers() {
        if (this instanceof HasState) {
            return super.buffers();
        }
        List<Buffer> all = new ArrayList<>();
        for (Layer p : parts) {
            all.addAll(p.buffers());
        }
        return List.copyOf(all);
    }

    @Override
    public void train() {
        super.train();
        parts.forEach(Layer::train);
    }

    @Override
    public void eval() {
        super.eval();
        parts.forEach(Layer::eval);
    }

    @Override
    public Layer useEngine(boolean on) {
        super.useEngine(on);
        parts.forEach(p -> p.useEngine(on));
        return this;
    }
}
