package cnnkit.engine;

import cnnkit.tensor.Tensor;

/**
 * Max and average pooling with the planes (one channel of one image) spread over the cores, and
 * the common 2x2, stride-2 average written out. Each plane is computed on its own, in the same
 * order as the teaching loops, so the numbers are the same bits whichever thread runs it.
 */
final class FastPool2D {
    /** Fewest planes per parallel task: smaller tasks cost more to hand out than they save. */
    private static final int PLANES_PER_TASK = 16;

    private FastPool2D() {
    }

    static Tensor maxPool(Tensor x, int kernel, int stride, int[] argmax) {
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = (h - kernel) / stride + 1;
        int outW = (w - kernel) / stride + 1;
        Tensor out = Tensor.zeros(x.dim(0), x.dim(1), outH, outW);
        double[] xd = x.data();
        double[] od = out.data();
        Parallel.forRange(x.dim(0) * x.dim(1), PLANES_PER_TASK, (first, end) -> {
            int o = first * outH * outW;
            for (int p = first; p < end; p++) {
                int base = p * h * w;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        int arg = base + i * stride * w + j * stride;
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                int idx = base + (i * stride + ki) * w + j * stride + kj;
                                if (xd[idx] > xd[arg] || (Double.isNaN(xd[idx]) && !Double.isNaN(xd[arg]))) { // a NaN wins, as in MaxPool2D.takesOver
                                    arg = idx;
                                }
                            }
                        }
                        argmax[o] = arg;
                        od[o++] = xd[arg];
                    }
                }
            }
        });
        return out;
    }

    static Tensor maxPoolBackward(Tensor dOut, int[] inShape, int[] argmax) {
        Tensor dx = Tensor.zeros(inShape);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        // Every output's winner lies in the output's own plane, so whole planes can go to different cores.
        int perPlane = dOut.dim(2) * dOut.dim(3);
        Parallel.forRange(inShape[0] * inShape[1], PLANES_PER_TASK, (first, end) -> {
            for (int o = first * perPlane; o < end * perPlane; o++) {
                dd[argmax[o]] += gd[o];
            }
        });
        return dx;
    }

    static Tensor avgPool(Tensor x, int kernel, int stride) {
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = (h - kernel) / stride + 1;
        int outW = (w - kernel) / stride + 1;
        Tensor out = Tensor.zeros(x.dim(0), x.dim(1), outH, outW);
        double area = kernel * kernel;
        double[] xd = x.data();
        double[] od = out.data();
        Parallel.forRange(x.dim(0) * x.dim(1), PLANES_PER_TASK, (first, end) -> {
            if (kernel == 2 && stride == 2) {
                avg2x2(xd, od, first, end, h, w, outH, outW);
                return;
            }
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

    static Tensor avgPoolBackward(Tensor dOut, int[] inShape, int kernel, int stride) {
        int h = inShape[2];
        int w = inShape[3];
        int outH = dOut.dim(2);
        int outW = dOut.dim(3);
        double area = kernel * kernel;
        Tensor dx = Tensor.zeros(inShape);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        Parallel.forRange(inShape[0] * inShape[1], PLANES_PER_TASK, (first, end) -> {
            if (kernel == 2 && stride == 2) {
                avg2x2Backward(gd, dd, first, end, h, w, outH, outW);
                return;
            }
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

    /** The 2x2, stride-2 average written out: the same sums in the same order as the general loops. */
    private static void avg2x2(double[] xd, double[] od, int first, int end, int h, int w, int outH, int outW) {
        for (int p = first; p < end; p++) {
            int o = p * outH * outW;
            for (int i = 0; i < outH; i++) {
                int top = (p * h + 2 * i) * w;
                int bottom = top + w;
                for (int j = 0; j < outW; j++) {
                    double sum = 0;
                    sum += xd[top + 2 * j];
                    sum += xd[top + 2 * j + 1];
                    sum += xd[bottom + 2 * j];
                    sum += xd[bottom + 2 * j + 1];
                    od[o + i * outW + j] = sum / 4;
                }
            }
        }
    }

    /** Backward of {@link #avg2x2}: the windows do not overlap, so each input gets one share. */
    private static void avg2x2Backward(double[] gd, double[] dd, int first, int end, int h, int w, int outH, int outW) {
        for (int p = first; p < end; p++) {
            int o = p * outH * outW;
            for (int i = 0; i < outH; i++) {
                int top = (p * h + 2 * i) * w;
                int bottom = top + w;
                for (int j = 0; j < outW; j++) {
                    double share = gd[o + i * outW + j] / 4;
                    dd[top + 2 * j] += share;
                    dd[top + 2 * j + 1] += share;
                    dd[bottom + 2 * j] += share;
                    dd[bottom + 2 * j + 1] += share;
                }
            }
        }
    }
}
