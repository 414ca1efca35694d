package cnnkit.plot;

import cnnkit.train.History;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The training chart a notebook redraws in place after every epoch: the loss (left) and the
 * accuracy (right) of the run so far, side by side. Show a placeholder first, keep the id that
 * {@code display} returns, and replace the image with {@code updateDisplay} from the trainer's
 * epoch callback:
 * <pre>{@code
 * String chart = display(LiveChart.waiting("LeNet-5"));
 * History run = Trainer.of(model, new SGD(0.05)).epochs(5)
 *         .onEpochEnd(h -> updateDisplay(chart, LiveChart.of(h)))
 *         .fit(train);
 * }</pre>
 * The notebook keeps one chart, the last one drawn, also when it is executed headless (nbclient
 * applies each update to the saved output). The trainer's text progress line is printed as before,
 * so a front end that ignores updates still shows how training goes.
 */
public final class LiveChart {
    static {
        Style.ensureHeadless();
    }

    private LiveChart() {
    }

    /** Loss and accuracy of the epochs completed so far, side by side (1280x400 pixels). */
    public static BufferedImage of(History h) {
        if (h.epochs() == 0) {
            return waiting(h.name());
        }
        return sideBySide(Charts.loss(h), Charts.accuracy(h));
    }

    /** A blank chart of the same size as {@link #of}, saying that the first epoch is still running. */
    public static BufferedImage waiting(String runName) {
        BufferedImage img = new BufferedImage(2 * Style.WIDTH, Style.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Style.canvas(img);
        g.setColor(Color.GRAY);
        g.setFont(Style.TITLE_FONT);
        String text = "Training " + runName + ": the chart appears after the first epoch";
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, (img.getWidth() - m.stringWidth(text)) / 2, img.getHeight() / 2);
        g.dispose();
        return img;
    }

    private static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
        int height = Math.max(left.getHeight(), right.getHeight());
        BufferedImage img = new BufferedImage(left.getWidth() + right.getWidth(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Style.canvas(img);
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        return img;
    }
}
