package cnnkit.optim;

import cnnkit.tensor.Param;
import java.util.List;

/** Updates parameters from their gradients. Each optimizer owns its own per-parameter state. */
public abstract class Optimizer {
    protected final List<Param> params;

    /** Refuses an empty list, a null entry and a parameter listed twice ({@link HyperParameters#params}). */
    protected Optimizer(List<Param> params) {
        this.params = HyperParameters.params(getClass().getSimpleName(), params);
    }

    /** Applies one update to every parameter from its current gradient. */
    public abstract void step();

    /** The current learning rate. */
    public abstract double lr();

    /** Changes the learning rate, e.g. for a step-decay schedule; the optimizer's state is kept. */
    public abstract void setLr(double lr);

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
