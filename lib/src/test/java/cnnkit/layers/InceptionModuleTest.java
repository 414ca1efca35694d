package cnnkit.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.check.GradCheck;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InceptionModuleTest {

    @Test
    void outputStacksTheFourBranchesOnChannels() {
        InceptionModule m = new InceptionModule(3, 2, 2, 3, 2, 4, 1);
        Tensor y = m.forward(Tensor.randn(1, 2, 3, 5, 4));
        assertArrayEquals(new int[] {2, 2 + 3 + 4 + 1, 5, 4}, y.shape());
        assertEquals(10, m.outChannels());
    }

    @Test
    void eachSliceIsItsBranch() {
        // Rebuild the branches from the same random stream, in the module's order.
        Random rng = new Random(21);
        Conv2D b1 = new Conv2D(3, 2, 1, 1, 0, rng);
        Conv2D b2r = new Conv2D(3, 2, 1, 1, 0, rng);
        Conv2D b2 = new Conv2D(2, 3, 3, 1, 1, rng);
        Conv2D b3r = new Conv2D(3, 1, 1, 1, 0, rng);
        Conv2D b3 = new Conv2D(1, 2, 5, 1, 2, rng);
        Conv2D b4 = new Conv2D(3, 2, 1, 1, 0, rng);
        InceptionModule m = new InceptionModule(3, 2, 2, 3, 1, 2, 2, new Random(21));
        Tensor x = TestInputs.distinct(4, 2, 3, 5, 4);
        ReLU r = new ReLU();
        Tensor expected = Concat.concat(
                r.forward(b1.forward(x)),
                r.forward(b2.forward(r.forward(b2r.forward(x)))),
                r.forward(b3.forward(r.forward(b3r.forward(x)))),
                r.forward(b4.forward(new PaddedMaxPool2D(3, 1, 1).forward(x))));
        assertArrayEquals(expected.data(), m.forward(x).data(), 1e-12);
    }

    @Test
    void paramsAreListedBranchByBranch() {
        InceptionModule m = new InceptionModule(4, 1, 2, 3, 1, 2, 5);
        List<String> names = BlockTestSupport.paramNames(m);
        assertEquals(12, names.size()); // six convolutions, weight then bias
        // 1x1: 4*1+1; 1x1: 4*2+2, 3x3: 2*3*9+3; 1x1: 4*1+1, 5x5: 1*2*25+2; pool 1x1: 4*5+5
        assertEquals(5 + 10 + 57 + 5 + 52 + 25, m.paramCount());
        assertArrayEquals(new int[] {1, 4, 1, 1}, m.params().get(0).shape());
        assertArrayEquals(new int[] {5, 4, 1, 1}, m.params().get(10).shape());
    }

    @Test
    void gradientOddSizesBatchTwo() {
        InceptionModule m = new InceptionModule(3, 2, 2, 3, 2, 2, 2, new Random(5));
        BlockTestSupport.perturbParams(m, 6);
        // Distinct inputs: the pool branch's max must not sit on a tie.
        GradCheck.check(m, TestInputs.distinct(7, 2, 3, 5, 3), 8).require(1e-7);
    }

    @Test
    void wrongInputShapeNamesTheModule() {
        InceptionModule m = new InceptionModule(3, 2, 2, 3, 2, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(1, 4, 5, 5)));
        assertTrue(e.getMessage().contains("Inception(3->") && e.getMessage().contains("(N, 3, H, W)")
                && e.getMessage().contains("(1, 4, 5, 5)"), e.getMessage());
    }

    @Test
    void wrongGradientShapeNamesTheModule() {
        InceptionModule m = new InceptionModule(3, 2, 2, 3, 2, 2, 2);
        m.forward(Tensor.zeros(1, 3, 5, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.backward(Tensor.zeros(1, 8, 5, 5)));
        assertTrue(e.getMessage().contains("Inception") && e.getMessage().contains("(1, 9, 5, 5)")
                && e.getMessage().contains("(1, 8, 5, 5)"), e.getMessage());
    }
}
