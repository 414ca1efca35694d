package cnnkit.layers;

import cnnkit.tensor.Buffer;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A layer built from smaller layers: a chain ({@link Sequential}) or a fixed graph such as a
 * residual block or an Inception module. Subclasses register their parts, in the order their
 * parameters should be listed, and write {@code forward}/{@code backward} themselves so that
 * every split and every sum of gradients is visible in the code.
 *
 * <p>What this base class adds: {@link #params()} is the parts' parameters in registration order
 * (stable from run to run), and {@link #train()}/{@link #eval()} and {@link #useEngine(boolean)}
 * reach every part, so batch normalisation inside a block switches mode together with the
 * network. {@link #keepOutputShape} and {@link #checkDOut} are the check that backward's dOut has
 * the shape of forward's output. In a {@link Sequential#summary summary} a composite layer is one
 * row with its total parameter count.
 */
public abstract class CompositeLayer extends Layer {
    private final List<Layer> parts = new ArrayList<>();
    /** The shape of the most recent forward's output, for backward's check of dOut. */
    private int[] outputShape;

    /**
     * Registers {@code part} (in parameter order) and returns it, for use in field initialisers.
     * Refuses null and a layer object that is already a part (or inside one): a layer keeps the
     * cache of its one most recent forward pass, so the same object at two positions would give
     * the first position the second one's cache and wrong gradients.
     */
    protected final <T extends Layer> T part(T part) {
        int position = parts.size() + 1;
        String owner = getClass().getSimpleName();
        if (part == null) {
            throw new IllegalArgumentException(owner + ": layer " + position + " is null");
        }
        Set<Layer> added = descendants(part);
        for (int i = 0; i < parts.size(); i++) {
            Set<Layer> earlier = descendants(parts.get(i));
            earlier.retainAll(added);
            if (!earlier.isEmpty()) {
                Layer shared = earlier.iterator().next();
                throw new IllegalArgumentException(owner + ": layer " + position + " (" + part + ") "
                        + (shared == part && shared == parts.get(i) ? "is the same object as" : "shares the object " + shared
                        + " with") + " layer " + (i + 1) + "; each position needs its own layer object (a layer caches"
                        + " only its most recent forward pass), e.g. new " + shared.getClass().getSimpleName() + "(...) again");
            }
        }
        parts.add(part);
        return part;
    }

    /** {@code layer} and every layer inside it, compared by identity. */
    private static Set<Layer> descendants(Layer layer) {
        Set<Layer> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.add(layer);
        if (layer instanceof CompositeLayer composite) {
            for (Layer p : composite.parts) {
                all.addAll(descendants(p));
            }
        }
        return all;
    }

    /** Notes the shape of {@code y}, this forward's output, and returns y. */
    protected final Tensor keepOutputShape(Tensor y) {
        outputShape = y.shape();
        return y;
    }

    /** Requires a forward pass before, and dOut of the shape that forward's output had. */
    protected final void checkDOut(Tensor dOut) {
        ShapeCheck.sameAs(this, "dOut", dOut, requireForward(outputShape));
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
        return fromParts(Layer::params);
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

    /** The parts' buffers, in registration order. */
    @Override
    public List<Buffer> buffers() {
        return fromParts(Layer::buffers);
    }

    /** What {@code ofPart} lists for each part, joined in registration order. */
    private <T> List<T> fromParts(Function<Layer, List<T>> ofPart) {
        List<T> all = new ArrayList<>();
        for (Layer p : parts) {
            all.addAll(ofPart.apply(p));
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
