package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Logistic sigmoid {@code 1 / (1 + e^-x)}, element-wise; any shape in, same shape out.
 * Caches the output y, because the derivative is {@code y (1 - y)}: backward is {@code g * y * (1 - y)}.
 */
public class Sigmoid extends Layer {
    private Tensor output;

    @Override
    public Tensor forward(Tensor x) {
        output = x.map(Sigmoid::sigmoid);
        return output;
    }

    /** Written in two branches so that e^-x is never taken of a large positive -x (no overflow). */
    static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor y = requireForward(output);
        ShapeCheck.sameAs(this, "dOut", dOut, y.shape());
        Tensor dx = Tensor.zeros(y.shape());
        double[] yd = y.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        for (int i = 0; i < yd.length; i++) {
            dd[i] = gd[i] * yd[i] * (1 - yd[i]);
        }
        return dx;
    }
}
