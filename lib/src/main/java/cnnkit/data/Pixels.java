package cnnkit.data;

import cnnkit.tensor.Shape;

/**
 * Compact pixel storage shared by {@link Dataset} views.
 *
 * <p>Rows of {@code (C, H, W)} raw values are kept either as unsigned bytes (what MNIST, CIFAR-10
 * and PNG files hold: 1 byte a pixel, so the full MNIST training set is 47 MB instead of 376 MB
 * of doubles) or as floats (CSV and tensors). A sample's value is {@code raw * scale[c] + offset[c]}
 * for its channel c, so scaling to [0, 1] and normalising to mean 0, std 1 only change two numbers
 * per channel and never copy the pixels. Instances are immutable; arrays are never written after
 * construction.
 */
final class Pixels {
    private final byte[] bytes;
    private final float[] floats;
    private final int[] shape;
    private final int per;
    private final int plane;
    private final double[] scale;
    private final double[] offset;
    /** The largest |raw value|, so that a scale can be checked without another pass over the pixels. */
    private final double maxAbs;

    /**
     * @throws IllegalArgumentException naming {@code name} when some channel's values
     *         {@code raw * scale + offset} could overflow a double (a tiny std, say)
     */
    private Pixels(String name, byte[] bytes, float[] floats, int[] shape, double[] scale, double[] offset,
            double maxAbs) {
        this.bytes = bytes;
        this.floats = floats;
        this.shape = shape.clone();
        this.per = Shape.size(shape);
        this.plane = shape[1] * shape[2];
        this.scale = scale;
        this.offset = offset;
        this.maxAbs = maxAbs;
        for (int c = 0; c < shape[0]; c++) {
            if (!Double.isFinite(maxAbs * Math.abs(scale[c]) + Math.abs(offset[c]))) {
                throw new IllegalArgumentException(name + ": channel " + c + " would hold values beyond the range of a"
                        + " double: raw values up to " + maxAbs + " times " + scale[c] + " plus " + offset[c]);
            }
        }
    }

    /** Unsigned bytes; every channel's value is {@code raw * scale}. */
    static Pixels ofBytes(String name, byte[] raw, int[] shape, double scale) {
        return new Pixels(name, raw, null, shape, filled(shape[0], scale), new double[shape[0]], 255);
    }

    /**
     * Float values taken as they are.
     *
     * @throws IllegalArgumentException naming the dataset, the sample, the position and the value
     *         of the first NaN or infinite value
     */
    static Pixels ofFloats(String name, float[] raw, int[] shape) {
        double maxAbs = 0;
        for (int i = 0; i < raw.length; i++) {
            if (!Float.isFinite(raw[i])) {
                throw new IllegalArgumentException(name + ": " + position(shape, i) + " is " + raw[i]
                        + "; pixel values must be finite numbers");
            }
            maxAbs = Math.max(maxAbs, Math.abs(raw[i]));
        }
        return new Pixels(name, null, raw, shape, filled(shape[0], 1.0), new double[shape[0]], maxAbs);
    }

    /** Where flat index {@code i} of (N, C, H, W) values lies: "sample n, channel c, row h, column w". */
    static String position(int[] sampleShape, int i) {
        int per = Shape.size(sampleShape);
        int plane = sampleShape[1] * sampleShape[2];
        int k = i % per;
        return "sample " + i / per + ", channel " + k / plane + ", row " + k % plane / sampleShape[2]
                + ", column " + k % sampleShape[2];
    }

    int rows() {
        return (bytes != null ? bytes.length : floats.length) / per;
    }

    int length() {
        return bytes != null ? bytes.length : floats.length;
    }

    int sampleSize() {
        return per;
    }

    int[] shape() {
        return shape.clone();
    }

    boolean isBytes() {
        return bytes != null;
    }

    /** Writes row {@code row}'s (C, H, W) values, scaled, into {@code dst[off .. off + C*H*W)}. */
    void copySample(int row, double[] dst, int off) {
        int src = row * per;
        for (int c = 0; c < shape[0]; c++) {
            double s = scale[c];
            double o = offset[c];
            int base = c * plane;
            if (bytes != null) {
                for (int k = 0; k < plane; k++) {
                    dst[off + base + k] = (bytes[src + base + k] & 0xFF) * s + o;
                }
            } else {
                for (int k = 0; k < plane; k++) {
                    dst[off + base + k] = floats[src + base + k] * s + o;
                }
            }
        }
    }

    /** The same pixels with every channel mapped through {@code (v - mean[c]) / std[c]}. */
    Pixels normalised(String name, double[] mean, double[] std) {
        double[] s = new double[shape[0]];
        double[] o = new double[shape[0]];
        for (int c = 0; c < s.length; c++) {
            // (raw * scale + offset - mean) / std  ==  raw * (scale / std) + (offset - mean) / std
            s[c] = scale[c] / std[c];
            o[c] = (offset[c] - mean[c]) / std[c];
        }
        return new Pixels(name, bytes, floats, shape, s, o, maxAbs);
    }

    /** Per-channel mean and population standard deviation of the given rows' values. */
    PixelStats stats(int[] rows) {
        double[] mean = new double[shape[0]];
        double[] std = new double[shape[0]];
        for (int c = 0; c < shape[0]; c++) {
            double[] ms = bytes != null ? byteStats(rows, c) : floatStats(rows, c);
            mean[c] = ms[0];
            std[c] = ms[1];
        }
        return new PixelStats(mean, std);
    }

    // A byte channel takes only 256 values, so a histogram gives exact sums in one cheap pass.
    private double[] byteStats(int[] rows, int c) {
        long[] hist = new long[256];
        for (int r : rows) {
            int base = r * per + c * plane;
            for (int k = 0; k < plane; k++) {
                hist[bytes[base + k] & 0xFF]++;
            }
        }
        double n = (double) rows.length * plane;
        double sum = 0;
        for (int v = 0; v < 256; v++) {
            sum += hist[v] * (v * scale[c] + offset[c]);
        }
        double mean = sum / n;
        double sq = 0;
        for (int v = 0; v < 256; v++) {
            double d = v * scale[c] + offset[c] - mean;
            sq += hist[v] * d * d;
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    // Two passes (mean, then squared deviations) avoid the cancellation of sum-of-squares formulas.
    private double[] floatStats(int[] rows, int c) {
        double n = (double) rows.length * plane;
        double sum = 0;
        for (int r : rows) {
            int base = r * per + c * plane;
            for (int k = 0; k < plane; k++) {
                sum += floats[base + k] * scale[c] + offset[c];
            }
        }
        double mean = sum / n;
        double sq = 0;
        for (int r : rows) {
            int base = r * per + c * plane;
            for (int k = 0; k < plane; k++) {
                double d = floats[base + k] * scale[c] + offset[c] - mean;
                sq += d * d;
            }
        }
        return new double[] {mean, Math.sqrt(sq / n)};
    }

    /**
     * The given rows, each channel surrounded by {@code p} pixels whose value is {@code value}.
     * Stays in bytes when {@code value} is an exact byte value of every channel, else widens to floats.
     */
    Pixels padded(String name, int[] rows, int p, double value) {
        int h = shape[1] + 2 * p;
        int w = shape[2] + 2 * p;
        int[] outShape = {shape[0], h, w};
        int outPer = Shape.size(outShape);
        if ((long) outPer * rows.length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padding " + rows.length + " samples to " + Shape.str(outShape)
                    + " needs more than 2^31 pixels");
        }
        double[] fill = new double[shape[0]];
        boolean asBytes = bytes != null;
        for (int c = 0; c < fill.length; c++) {
            fill[c] = (value - offset[c]) / scale[c];
            double r = Math.rint(fill[c]);
            if (Math.abs(fill[c] - r) > 1e-9 * Math.max(1, Math.abs(r)) || r < 0 || r > 255) {
                asBytes = false;
            } else if (bytes != null) {
                fill[c] = r;
            }
        }
        byte[] b = asBytes ? new byte[outPer * rows.length] : null;
        float[] f = asBytes ? null : new float[outPer * rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < shape[0]; c++) {
                int dst = i * outPer + c * h * w;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sy = y - p;
                        int sx = x - p;
                        boolean inside = sy >= 0 && sy < shape[1] && sx >= 0 && sx < shape[2];
                        double raw = inside ? raw(rows[i] * per + c * plane + sy * shape[2] + sx) : fill[c];
                        if (asBytes) {
                            b[dst + y * w + x] = (byte) (int) raw;
                        } else {
                            f[dst + y * w + x] = (float) raw;
                        }
                    }
                }
            }
        }
        double fillAbs = 0;
        for (double v : fill) {
            fillAbs = Math.max(fillAbs, Math.abs(v));
        }
        return new Pixels(name, b, f, outShape, scale.clone(), offset.clone(), Math.max(maxAbs, fillAbs));
    }

    private double raw(int index) {
        return bytes != null ? bytes[index] & 0xFF : floats[index];
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
