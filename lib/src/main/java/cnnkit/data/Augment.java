package cnnkit.data;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;

/**
 * Data augmentation: new training images made from the old ones by changes that keep the label,
 * here random shifts (a random crop of the padded image) and, where a mirror image is still the
 * same class, horizontal flips.
 *
 * <pre>{@code
 * Augment aug = Augment.shifts(1);                     // up to 1 pixel in each direction
 * Dataset epoch3 = aug.apply(train, 3).normalised(stats); // a fresh variant of every image
 * }</pre>
 *
 * <p>Shifting by (dy, dx) with the border filled by {@code fill} is the same as padding the image
 * by {@code maxShift} on every side and cropping an H x W window at offset
 * (maxShift - dy, maxShift - dx): the "random crop" of the literature. For every sample, in order,
 * one {@code Random(seed)} draws dy, then dx (each uniform in -maxShift..maxShift), then whether to
 * flip (probability 1/2, only when flips are on), so the same seed gives bit-identical images.
 * Digits must not be flipped (a mirrored 2 is not a 2); clothes and most photos may be.
 *
 * <p>Augment the raw images, before normalising, so that the fill value 0 is the background.
 */
public final class Augment {
    private final int maxShift;
    private final boolean flips;
    private final double fill;

    /**
     * @param maxShift largest shift in pixels, in each direction (0 for none)
     * @param flips    whether to mirror left-right half of the images
     * @param fill     the value of the pixels shifted in at the border
     */
    public Augment(int maxShift, boolean flips, double fill) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("Augment: maxShift must be >= 0, got " + maxShift);
        }
        if (!Double.isFinite(fill)) {
            throw new IllegalArgumentException("Augment: fill value must be finite, got " + fill);
        }
        this.maxShift = maxShift;
        this.flips = flips;
        this.fill = fill;
    }

    /** Random shifts of up to {@code maxShift} pixels, border filled with 0, no flips. */
    public static Augment shifts(int maxShift) {
        return new Augment(maxShift, false, 0.0);
    }

    /** The same shifts, plus a left-right mirror of half of the images. */
    public Augment withFlips() {
        return new Augment(maxShift, true, fill);
    }

    /**
     * One augmented variant of every sample of {@code data}, in the same order and with the same
     * labels, drawn from {@code new Random(seed)}. The result holds its own pixels.
     */
    public Dataset apply(Dataset data, long seed) {
        Random rng = new Random(seed);
        Tensor x = data.all().x();
        int[] s = x.shape();
        int per = s[1] * s[2] * s[3];
        double[] out = new double[x.size()];
        for (int n = 0; n < s[0]; n++) {
            Tensor image = Tensor.of(Arrays.copyOfRange(x.data(), n * per, (n + 1) * per), s[1], s[2], s[3]);
            Tensor changed = apply(image, rng);
            System.arraycopy(changed.data(), 0, out, n * per, per);
        }
        return Dataset.of(data.name() + " augmented", Tensor.of(out, s), data.labels(), data.numClasses());
    }

    /** One random variant of one image {@code (C, H, W)}, drawing from {@code rng} as described above. */
    public Tensor apply(Tensor image, Random rng) {
        int dy = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        int dx = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        Tensor shifted = shift(image, dy, dx, fill);
        return flips && rng.nextBoolean() ? flip(shifted) : shifted;
    }

    /**
     * The image {@code (C, H, W)} moved down by dy and right by dx pixels (negative: up, left):
     * {@code out[c][i][j] = image[c][i - dy][j - dx]}, and {@code fill} where that falls outside.
     */
    public static Tensor shift(Tensor image, int dy, int dx, double fill) {
        int[] s = checkImage(image, "shift");
        int c = s[0];
        int h = s[1];
        int w = s[2];
        double[] in = image.data();
        double[] out = new double[in.length];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int si = i - dy;
                    int sj = j - dx;
                    boolean inside = si >= 0 && si < h && sj >= 0 && sj < w;
                    out[(k * h + i) * w + j] = inside ? in[(k * h + si) * w + sj] : fill;
                }
            }
        }
        return Tensor.of(out, c, h, w);
    }

    /** The image {@code (C, H, W)} mirrored left-right: {@code out[c][i][j] = image[c][i][W - 1 - j]}. */
    public static Tensor flip(Tensor image) {
        int[] s = checkImage(image, "flip");
        int w = s[2];
        double[] in = image.data();
        double[] out = new double[in.length];
        for (int row = 0; row < s[0] * s[1]; row++) {
            for (int j = 0; j < w; j++) {
                out[row * w + j] = in[row * w + w - 1 - j];
            }
        }
        return Tensor.of(out, s[0], s[1], s[2]);
    }

    private static int[] checkImage(Tensor image, String what) {
        if (image.rank() != 3) {
            throw new IllegalArgumentException("Augment." + what + ": expected one image (C, H, W), got "
                    + Shape.str(image.shape()));
        }
        return image.shape();
    }

    @Override
    public String toString() {
        return "Augment(shifts up to " + maxShift + " px" + (flips ? ", flips" : "") + ", fill " + fill + ")";
    }
}
