package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.List;

/** Updates parameters from their gradients. Each optimizer owns its own per-parameter state. */
public abstract class Optimizer {
    protected final List<Param> params;

    protected Optimizer(List<Param> params) {
        this.params = List.copyOf(params);
    }

    /** Applies one update to every parameter from its current gradient. */
    public abstract void step();

    /** Clears every gradient, ready for the next backward pass. */
    public void zeroGrad() {
        for (Param p : params) {
            p.zeroGrad();
        }
    }

    public List<Param> params() {
        return params;
    }
}
