package cnnkit.layers;

import cnnkit.tensor.Tensor;

/** Runs one forward or backward of a layer on its teaching loops or on the engine, for tests that compare the two. */
public final class Paths {
    private Paths() {
    }

    public static Tensor teachingForward(Layer layer, Tensor x) {
        return forward(layer, x, false);
    }

    public static Tensor teachingBackward(Layer layer, Tensor dOut) {
        return backward(layer, dOut, false);
    }

    public static Tensor engineForward(Layer layer, Tensor x) {
        return forward(layer, x, true);
    }

    public static Tensor engineBackward(Layer layer, Tensor dOut) {
        return backward(layer, dOut, true);
    }

    private static Tensor forward(Layer layer, Tensor x, boolean engine) {
        layer.useEngine(engine);
        try {
            return layer.forward(x);
        } finally {
            layer.useEngine(true);
        }
    }

    private static Tensor backward(Layer layer, Tensor dOut, boolean engine) {
        layer.useEngine(engine);
        try {
            return layer.backward(dOut);
        } finally {
            layer.useEngine(true);
        }
    }
}
