package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Hyperbolic tangent, element-wise; any shape in, same shape out.
 * Caches the output y, because the derivative is {@code 1 - y^2}: backward is {@code g * (1 - y^2)}.
 */
public class Tanh extends Layer {
    private Tensor output;

    @Override
    public Tensor forward(Tensor x) {
        output = x.map(Math::tanh);
        return output;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor y = cached(output, this);
        ShapeCheck.sameAs(this, "dOut", dOut, y.shape());
        Tensor dx = Tensor.zeros(y.shape());
        double[] yd = y.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        for (int i = 0; i < yd.length; i++) {
            dd[i] = gd[i] * (1 - yd[i] * yd[i]);
        }
        return dx;
    }
}
