package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Tensor;

/**
 * Hyperbolic tangent, element-wise {@code y = tanh(x)}; any shape in, same shape out.
 * Cached by forward: the output y, because the derivative is {@code 1 - y^2}, so backward is
 * {@code dX = dOut * (1 - y^2)}. The engine computes tanh with plain arithmetic that the JIT
 * vectorises ({@code cnnkit.engine.FastTanh}), within about 1e-15 of {@code Math.tanh}.
 */
public class Tanh extends Layer {
    /** The output of the most recent forward, for backward. */
    private Tensor output;

    @Override
    public Tensor forward(Tensor x) {
        if (usesEngine()) {
            this.output = Engine.tanh(x);
            return output;
        }
        Tensor y = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            y.data()[i] = Math.tanh(x.data()[i]);
        }
        this.output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor y = requireForward(output);
        ShapeCheck.sameAs(this, "dOut", dOut, y.shape());
        if (usesEngine()) {
            return Engine.tanhBackward(y, dOut);
        }
        Tensor dx = Tensor.zeros(y.shape());
        for (int i = 0; i < y.size(); i++) {
            double yi = y.data()[i];
            dx.data()[i] = dOut.data()[i] * (1 - yi * yi);
        }
        return dx;
    }
}
