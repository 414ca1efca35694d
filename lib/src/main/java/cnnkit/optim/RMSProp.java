package cnnkit.optim;

import cnnkit.tensor.Param;
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
 * the bias correction that removes this. The state is s, one buffer per parameter. The constructor
 * needs finite lr, eps &gt; 0, a rho in [0, 1) and a finite weight decay &gt;= 0 ({@link HyperParameters}).
 */
public class RMSProp extends Optimizer {
    private final double rho;
    private final double eps;
    private final double weightDecay;
    private final List<double[]> meanSquare;

    /** rho = 0.9, eps = 1e-8, no weight decay. */
    public RMSProp(List<Param> params, double lr) {
        this(params, lr, 0.9, 1e-8, 0.0);
    }

    public RMSProp(List<Param> params, double lr, double rho, double eps, double weightDecay) {
        super(params, lr);
        this.rho = HyperParameters.fraction("RMSProp", "rho", rho);
        this.eps = HyperParameters.positive("RMSProp", "eps", eps);
        this.weightDecay = HyperParameters.nonNegative("RMSProp", "weightDecay", weightDecay);
        this.meanSquare = zerosPerParam();
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
    public String toString() {
        return "RMSProp(lr=" + lr + ", rho=" + rho + ", eps=" + eps + ", weightDecay=" + weightDecay + ")";
    }
}
