package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam: gradient descent with a per-value step size, from running averages of the gradient
 * (first moment m) and of its square (second moment v).
 *
 * <p>At step t (counting from 1), for every value of every parameter:
 * <pre>
 *   g = grad + weightDecay * w            (L2 penalty folded into the gradient)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   mHat = m / (1 - beta1^t),  vHat = v / (1 - beta2^t)
 *   w -= lr * mHat / (sqrt(vHat) + eps)
 * </pre>
 * m and v start at zero, so without the bias correction (the division by 1 - beta^t) the first
 * steps would be far too small. With it, the first step is {@code lr * g / (|g| + eps)}, about
 * {@code lr * sign(g)}: Adam's step size is set by lr, not by the size of the gradient.
 * The state is m and v per parameter, and the step count t. The constructor needs a finite
 * lr &gt; 0, betas in [0, 1), a finite eps &gt; 0 and a finite weight decay &gt;= 0 ({@link HyperParameters}).
 */
public class Adam extends Optimizer {
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final List<double[]> m = new ArrayList<>();
    private final List<double[]> v = new ArrayList<>();
    private int t;

    /** The usual defaults: beta1 = 0.9, beta2 = 0.999, eps = 1e-8, no weight decay. */
    public Adam(List<Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params);
        this.lr = HyperParameters.positive("Adam", "lr", lr);
        this.beta1 = HyperParameters.fraction("Adam", "beta1", beta1);
        this.beta2 = HyperParameters.fraction("Adam", "beta2", beta2);
        this.eps = HyperParameters.positive("Adam", "eps", eps);
        this.weightDecay = HyperParameters.nonNegative("Adam", "weightDecay", weightDecay);
        for (Param p : this.params) {
            m.add(new double[p.size()]);
            v.add(new double[p.size()]);
        }
    }

    @Override
    public void step() {
        t++;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int k = 0; k < params.size(); k++) {
            double[] w = params.get(k).value().data();
            double[] g = params.get(k).grad().data();
            double[] mk = m.get(k);
            double[] vk = v.get(k);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                mk[i] = beta1 * mk[i] + (1 - beta1) * gi;
                vk[i] = beta2 * vk[i] + (1 - beta2) * gi * gi;
                double mHat = mk[i] / correction1;
                double vHat = vk[i] / correction2;
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }

    /** The number of steps taken so far (t in the formulas). */
    public int steps() {
        return t;
    }

    @Override
    public double lr() {
        return lr;
    }

    /** Changes the learning rate; 0 (a frozen step) is allowed, NaN and negatives are not. */
    @Override
    public void setLr(double lr) {
        this.lr = HyperParameters.nonNegative("Adam.setLr", "lr", lr);
    }

    @Override
    public String toString() {
        return "Adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
                + ", weightDecay=" + weightDecay + ")";
    }
}
