package cnnkit.tensor;

/**
 * A trainable parameter: its value and the gradient of the loss with respect to it, same shape.
 *
 * <p>Layers add into {@link #grad()} during backward; optimizers read it and update
 * {@link #value()}; {@link #zeroGrad()} clears it before the next batch.
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Param(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    public void zeroGrad() {
        grad.fill(0.0);
    }

    @Override
    public String toString() {
        return name + " " + Shape.str(value.shape());
    }
}
