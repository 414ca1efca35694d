package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp: every value gets its own step size, the learning rate divided by a running root mean
 * square of its recent gradients.
 *
 * <p>For every value of every parameter:
 * <pre>
 *   g = grad + weightDecay * w
 *   s = rho * s + (1 - rho) * g^2
 *   w = w - lr * g / (sqrt(s) + eps)
 * </pre>
 * A value whose gradients are large takes small steps and one whose gradients are small takes
 * larger ones, so a long narrow valley is crossed at about the same pace in every direction. The
 * average s starts at zero, which makes the first steps larger than later ones (the first is
 * {@code lr * g / (sqrt(1 - rho) |g| + eps)}, about {@code 3.2 * lr} for rho = 0.9); Adam adds
 * the bias correction that removes this. The state is s, one buffer per parameter.
 */
public class RMSProp extends Optimizer {
    private double lr;
    private final double rho;
    private final double eps;
    private final double weightDecay;
    private final List<double[]> meanSquare = new ArrayList<>();

    /** rho = 0.9, eps = 1e-8, no weight decay. */
    public RMSProp(List<Param> params, double lr) {
        this(params, lr, 0.9, 1e-8, 0.0);
    }

    public RMSProp(List<Param> params, double lr, double rho, double eps, double weightDecay) {
        super(params);
        if (!(lr > 0) || !(rho >= 0 && rho < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("RMSProp: need lr > 0, 0 <= rho < 1, eps > 0, weightDecay >= 0; got lr="
                    + lr + " rho=" + rho + " eps=" + eps + " weightDecay=" + weightDecay);
        }
        this.lr = lr;
        this.rho = rho;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Param p : this.params) {
            meanSquare.add(new double[p.size()]);
        }
    }

    @Override
    public void step() {
        for (int k = 0; k < params.size(); k++) {
            double[] w = params.get(k).value().data();
            double[] g = params.get(k).grad().data();
            double[] s = meanSquare.get(k);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                s[i] = rho * s[i] + (1 - rho) * gi * gi;
                w[i] -= lr * gi / (Math.sqrt(s[i]) + eps);
            }
        }
    }

    @Override
    public double lr() {
        return lr;
    }

    @Override
    public void setLr(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("RMSProp: lr must be positive, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public String toString() {
        return "RMSProp(lr=" + lr + ", rho=" + rho + ", eps=" + eps + ", weightDecay=" + weightDecay + ")";
    }
}
