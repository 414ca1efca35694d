package cnnkit.tensor;

/**
 * A tensor a layer keeps and uses but does not train, such as batch normalisation's running
 * mean and variance: it has a value and no gradient, no optimizer touches it, and a model file
 * saves and restores it next to the parameters (restoring copies values into {@link #value()}
 * in place, so the layer sees them at once).
 */
public final class Buffer {
    private final String name;
    private final Tensor value;

    public Buffer(String name, Tensor value) {
        this.name = name;
        this.value = value;
    }

    public String name() {
        return name;
    }

    /** The layer's own tensor, not a copy. */
    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + " " + Shape.str(value.shape()) + " (buffer)";
    }
}
