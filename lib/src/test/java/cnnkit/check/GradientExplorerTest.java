package cnnkit.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.BatchNorm2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.GlobalAvgPool2D;
import cnnkit.layers.Layer;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import cnnkit.layers.Sequential;
import cnnkit.layers.Tanh;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientExplorerTest {

    private static Sequential smallNet() {
        Random rng = new Random(3);
        return new Sequential(
                new Conv2D(2, 4, 3, 1, 1, rng), new BatchNorm2D(4), new ReLU(), new MaxPool2D(2, 2),
                new Conv2D(4, 3, 3, 1, 0, rng), new Tanh(), new GlobalAvgPool2D(), new Dense(3, 5, rng));
    }

    @Test
    void oneRowPerLayerWithPositiveFiniteNorms() {
        Sequential net = smallNet();
        GradientTable table = GradientExplorer.explore(net, 7, 2, 2, 8, 8);
        assertEquals(net.size(), table.rows().size());
        assertEquals(net.size(), table.gradNorms().length);
        for (GradientTable.Row row : table.rows()) {
            assertTrue(row.outputNorm() > 0 && Double.isFinite(row.outputNorm()), row.toString());
            assertTrue(row.gradNorm() > 0 && Double.isFinite(row.gradNorm()), row.toString());
        }
        assertTrue(table.input().gradNorm() > 0 && Double.isFinite(table.input().gradNorm()));
        assertArrayEquals(new int[] {2, 4, 4, 4}, table.rows().get(3).shape());
        assertArrayEquals(new int[] {2, 5}, table.rows().get(7).shape());
        assertEquals("MaxPool2D(kernel=2, stride=2)", table.names().get(3));
        assertEquals(0.0, table.paramGradNorms()[2]); // ReLU has no parameters
        assertTrue(table.paramGradNorms()[0] > 0);
    }

    @Test
    void sameSeedSameTable() {
        String a = GradientExplorer.explore(smallNet(), 7, 2, 2, 8, 8).toString();
        String b = GradientExplorer.explore(smallNet(), 7, 2, 2, 8, 8).toString();
        assertEquals(a, b);
    }

    @Test
    void normsMatchAHandWrittenPass() {
        // Dense then Tanh with a given dOut: the gradient at Dense's output is dOut * (1 - tanh^2)
        Dense dense = new Dense(3, 2, new Random(1));
        Tanh tanh = new Tanh();
        Tensor x = Tensor.randn(2, 4, 3);
        Tensor dOut = Tensor.randn(3, 4, 2);
        GradientTable table = GradientExplorer.explore(List.<Layer>of(dense, tanh), x, dOut);

        Tensor z = x.matmul(dense.weight().value()); // bias is zero
        Tensor y = z.map(Math::tanh);
        Tensor dz = dOut.mul(y.map(v -> 1 - v * v));
        Tensor dx = dz.matmul(dense.weight().value().transpose());
        assertEquals(z.norm(), table.rows().get(0).outputNorm(), 1e-12);
        assertEquals(dz.norm(), table.rows().get(0).gradNorm(), 1e-12);
        assertEquals(y.norm(), table.rows().get(1).outputNorm(), 1e-12);
        assertEquals(dOut.norm(), table.rows().get(1).gradNorm(), 1e-12);
        assertEquals(dx.norm(), table.input().gradNorm(), 1e-12);
        assertEquals(x.norm(), table.input().outputNorm(), 1e-12);
        // dW = x^T dz, db = column sums of dz
        Tensor dw = x.transpose().matmul(dz);
        Tensor db = Tensor.ones(1, 4).matmul(dz);
        assertEquals(Math.hypot(dw.norm(), db.norm()), table.rows().get(0).paramGradNorm(), 1e-12);
        assertEquals(y.mul(dOut).sum(), table.loss(), 1e-12);
    }

    @Test
    void seededLossUsesRDrawnFromTheSeed() {
        Sequential net = smallNet();
        Tensor x = Tensor.randn(8, 1, 2, 6, 6);
        GradientTable table = GradientExplorer.explore(net, x, 21);
        assertEquals(Tensor.randn(21, 1, 5).norm(), table.rows().get(7).gradNorm(), 1e-12);
    }

    @Test
    void tablePrintsEveryLayer() {
        Sequential net = smallNet();
        String text = GradientExplorer.explore(net, 7, 2, 2, 8, 8).toString();
        for (Layer layer : net.layers()) {
            assertTrue(text.contains(layer.toString()), text);
        }
        assertTrue(text.contains("||dL/dout||") && text.contains("(2, 2, 8, 8)"), text);
    }

    @Test
    void wrongDOutShapeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientExplorer.explore(List.<Layer>of(new Tanh()), Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }
}
