package cnnkit.layers;

import cnnkit.tensor.Parallel;
import cnnkit.tensor.Tensor;

/**
 * Average pooling: each output is the mean of its {@code kernel x kernel} window.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')}, {@code H' = (H - kernel) / stride + 1}, same for W'.
 * Caches only the input shape: every input in a window contributed 1/(kernel*kernel), so backward
 * spreads {@code g / (kernel * kernel)} over the window, adding up where windows overlap.
 */
public class AvgPool2D extends Pool2D {

    public AvgPool2D(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Tensor.zeros(outputShape(x));
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = out.dim(2);
        int outW = out.dim(3);
        int planes = x.dim(0) * x.dim(1);
        double area = kernel * kernel;
        double[] xd = x.data();
        double[] od = out.data();
        // Planes (one channel of one image) are independent: spread them over the cores.
        Parallel.forRange(planes, PLANES_PER_TASK, (first, end) -> {
            int o = first * outH * outW;
            for (int p = first; p < end; p++) {
                int base = p * h * w;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double sum = 0;
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                sum += xd[base + (i * stride + ki) * w + j * stride + kj];
                            }
                        }
                        od[o++] = sum / area;
                    }
                }
            }
        });
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = checkBackward(dOut);
        int h = in[2];
        int w = in[3];
        int outH = dOut.dim(2);
        int outW = dOut.dim(3);
        int planes = in[0] * in[1];
        double area = kernel * kernel;
        Tensor dx = Tensor.zeros(in);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        Parallel.forRange(planes, PLANES_PER_TASK, (first, end) -> {
            int o = first * outH * outW;
            for (int p = first; p < end; p++) {
                int base = p * h * w;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double share = gd[o++] / area;
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                dd[base + (i * stride + ki) * w + j * stride + kj] += share;
                            }
                        }
                    }
                }
            }
        });
        return dx;
    }
}
