package cnnkit.layers;

import cnnkit.tensor.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers shared by the composite-block tests. */
final class BlockTestSupport {
    private BlockTestSupport() {
    }

    /**
     * Gives every parameter non-trivial values (biases and beta away from 0, gamma away from 1; weights are random already),
     * so that a gradient check also sees their effect on the other gradients.
     */
    static void perturbParams(Layer layer, long seed) {
        Random rng = new Random(seed);
        for (Param p : layer.params()) {
            if (p.name().equals("weight")) {
                continue; // already random
            }
            double[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = p.name().equals("gamma") ? 0.5 + rng.nextDouble() : 0.2 * rng.nextGaussian();
            }
        }
    }

    static List<String> paramNames(Layer layer) {
        List<String> names = new ArrayList<>();
        for (Param p : layer.params()) {
            names.add(p.name());
        }
        return names;
    }
}
