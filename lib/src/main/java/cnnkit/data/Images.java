package cnnkit.data;

import cnnkit.train.AtomicFile;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Grey-scale images as tensors, for the notebooks that slide hand-made kernels over a photo.
 *
 * <pre>{@code
 * Tensor photo = Images.astronaut();                  // (1, 1, 128, 128), values 0..255
 * Tensor mine  = Images.readGray(Path.of("me.png"));  // any PNG, JPEG, BMP or GIF
 * }</pre>
 */
public final class Images {
    /** The kit's photo: NASA's portrait of astronaut Eileen Collins (public domain), grey, 128x128. */
    public static final String PHOTO = "astronaut-gray-128.png";
    /** SHA-256 of data/astronaut-gray-128.png. */
    public static final String PHOTO_SHA256 = "8fee5d2daf179554ae76c9a9e25d20b83960c9c92db210c89ccf89cac88d03d0";

    private Images() {
    }

    /** The kit's photo as a (1, 1, 128, 128) tensor of grey levels 0..255. */
    public static Tensor astronaut() {
        Path file = DataPaths.file(PHOTO);
        Checksums.verify(file, PHOTO_SHA256);
        return readGray(file);
    }

    /**
     * Reads an image as grey levels 0..255 in a (1, 1, H, W) tensor (a batch of one single-channel
     * image, ready for a convolution). A colour image is converted with the luma weights
     * 0.299 R + 0.587 G + 0.114 B.
     */
    public static Tensor readGray(Path file) {
        BufferedImage img = decode(file);
        int h = img.getHeight();
        int w = img.getWidth();
        double[] d = new double[h * w];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Read the stored levels directly: getRGB would pass them through a colour-space conversion.
            Raster r = img.getRaster();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[y * w + x] = r.getSample(x, y, 0);
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    d[y * w + x] = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
                }
            }
        }
        return Tensor.of(d, 1, 1, h, w);
    }

    private static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MissingDataException(file.toAbsolutePath().normalize() + " does not exist");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file, "whole file", "cannot decode the image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new DataFormatException(file, "byte offset 0", "not an image format Java can read (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    /**
     * Writes a grey PNG. Takes (H, W), (1, H, W) or (1, 1, H, W); values are rounded and clipped to
     * 0..255, so rescale first what is not already in that range (e.g. edge maps with negative values).
     * A NaN pixel throws, naming its row and column.
     * Written atomically through {@link AtomicFile}.
     */
    public static void writeGray(Path file, Tensor image) {
        int[] s = image.shape();
        int r = s.length;
        for (int k = 0; k < r - 2; k++) {
            if (s[k] != 1) {
                throw new IllegalArgumentException(file + ": expected a grey image (H, W), (1, H, W) or (1, 1, H, W), got "
                        + Shape.str(s));
            }
        }
        if (r < 2 || r > 4) {
            throw new IllegalArgumentException(file + ": expected a grey image (H, W), (1, H, W) or (1, 1, H, W), got "
                    + Shape.str(s));
        }
        int h = s[r - 2];
        int w = s[r - 1];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        double[] d = image.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (Double.isNaN(d[y * w + x])) {
                    // Rounding would quietly make it black.
                    throw new IllegalArgumentException(file + ": pixel (row " + y + ", column " + x + ") is NaN");
                }
                img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, Math.round(d[y * w + x]))));
            }
        }
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("this Java has no PNG writer");
            }
        });
    }
}
