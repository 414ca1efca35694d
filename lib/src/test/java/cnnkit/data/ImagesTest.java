package cnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void readsGreyLevelsAsTheyAreStored() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {0, 17, 255, 128, 64, 3};
        for (int i = 0; i < 6; i++) {
            img.getRaster().setSample(i % 3, i / 3, 0, levels[i]);
        }
        Path f = dir.resolve("g.png");
        ImageIO.write(img, "png", f.toFile());
        Tensor t = Images.readGray(f);
        assertArrayEquals(new int[] {1, 1, 2, 3}, t.shape());
        assertArrayEquals(new double[] {0, 17, 255, 128, 64, 3}, t.data());
    }

    @Test
    void colourIsConvertedWithLumaWeights() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x0000FF);
        Path f = dir.resolve("c.png");
        ImageIO.write(img, "png", f.toFile());
        assertArrayEquals(new double[] {0.299 * 255, 0.114 * 255}, Images.readGray(f).data(), 1e-9);
    }

    @Test
    void writeThenReadClipsAndRounds() {
        Path f = dir.resolve("w.png");
        Images.writeGray(f, Tensor.of(new double[] {-5, 0.4, 99.6, 300}, 2, 2));
        assertArrayEquals(new double[] {0, 0, 100, 255}, Images.readGray(f).data());
        assertThrows(IllegalArgumentException.class, () -> Images.writeGray(f, Tensor.zeros(3, 2, 2)));
    }

    @Test
    void aNanPixelIsNotWrittenAsBlack() {
        Tensor t = Tensor.zeros(2, 3);
        t.set(Double.NaN, 1, 2);
        Path f = dir.resolve("nan.png");
        assertEquals(f + ": pixel (row 1, column 2) is NaN",
                assertThrows(IllegalArgumentException.class, () -> Images.writeGray(f, t)).getMessage());
        assertTrue(!Files.exists(f), "nothing is written");
    }

    @Test
    void notAnImageNamesTheFile() throws IOException {
        Path f = Files.writeString(dir.resolve("fake.png"), "not a picture");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.readGray(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void theKitsPhotoIsSmallAndGrey() {
        Tensor photo = Images.astronaut();
        assertArrayEquals(new int[] {1, 1, 128, 128}, photo.shape());
        assertTrue(photo.min() >= 0 && photo.max() <= 255);
        assertTrue(photo.max() - photo.min() > 200, "a real photo uses most of the grey range");
        for (double v : photo.data()) {
            assertEquals(Math.rint(v), v);
        }
    }
}
