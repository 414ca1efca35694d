package cnnkit.layers;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;

/** Inputs for tests. */
final class TestInputs {
    private TestInputs() {
    }

    /** See {@link GradCheck#distinctValues}: values a finite-difference step never reorders. */
    static Tensor distinct(long seed, int... shape) {
        return GradCheck.distinctValues(seed, shape);
    }
}
