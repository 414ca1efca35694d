package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Tensor;

/**
 * Rectified linear unit, element-wise {@code y = max(0, x)}; any shape in, same shape out.
 * Cached by forward: the input x. Backward passes the gradient where x > 0 and blocks it
 * elsewhere (at exactly 0 the gradient is taken as 0). A NaN input stays NaN, so a diverging
 * run reaches the loss.
 */
public class ReLU extends Layer {
    /** The input of the most recent forward, for backward. */
    private Tensor input;

    @Override
    public Tensor forward(Tensor x) {
        this.input = x;
        if (usesEngine()) {
            return Engine.relu(x);
        }
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            y.data()[i] = Math.max(x.data()[i], 0.0); // unlike x > 0 ? x : 0, keeps a NaN visible to the loss
        }
        return y;
    }

    /** {@code dX = dOut where x > 0, else 0}. */
    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = requireForward(input);
        ShapeCheck.sameAs(this, "dOut", dOut, x.shape());
        if (usesEngine()) {
            return Engine.reluBackward(x, dOut);
        }
        Tensor dx = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            dx.data()[i] = x.data()[i] > 0 ? dOut.data()[i] : 0.0;
        }
        return dx;
    }
}
