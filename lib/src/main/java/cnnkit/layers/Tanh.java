package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Hyperbolic tangent, element-wise; any shape in, same shape out.
 * Caches the output y, because the derivative is {@code 1 - y^2}: backward is {@code g * (1 - y^2)}.
 *
 * <p>Forward computes {@code tanh x = 1 - 2 / (e^(2x) + 1)}. Why not {@code Math.tanh}: it is
 * several times slower than {@code Math.exp} on common JVMs, and in LeNet-5 the first tanh alone
 * took longer than the convolution before it. The formula is exact at 0, saturates cleanly to
 * ±1 (e^(2x) overflows to infinity or underflows to 0), and is within about 2e-16 of tanh x in
 * absolute terms everywhere; it loses relative accuracy only for tiny |x|, where tanh x is
 * indistinguishable from x next to the other values of a layer anyway.
 */
public class Tanh extends Layer {
    private Tensor output;

    @Override
    public Tensor forward(Tensor x) {
        double[] in = x.data();
        double[] y = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            y[i] = 1 - 2 / (Math.exp(2 * in[i]) + 1);
        }
        output = Tensor.of(y, x.shape());
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
