package cnnkit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Expected strings are what numpy 1.24 prints for the same arrays. */
class TensorFormatTest {

    @Test
    void seedConvolutionOutputPrintsLikeNumpy() {
        Tensor t = Tensor.of(new double[] {-7, -4, 7, -15, -6, 15, -13, -4, 13}, 1, 1, 3, 3);
        assertEquals("[[[[ -7.  -4.   7.]\n   [-15.  -6.  15.]\n   [-13.  -4.  13.]]]]", t.toString());
    }

    @Test
    void twoChannelsAreSeparatedByABlankLine() {
        Tensor t = Tensor.of(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28, 24, 42, 32, 54, 90, 66, 48, 78, 56},
                1, 2, 3, 3);
        assertEquals("[[[[12. 21. 16.]\n   [27. 45. 33.]\n   [24. 39. 28.]]\n\n"
                + "  [[24. 42. 32.]\n   [54. 90. 66.]\n   [48. 78. 56.]]]]", t.toString());
    }

    @Test
    void batchItemsAreSeparatedByTwoBlankLines() {
        assertEquals("[[[[ 0.  1.  2.]\n   [ 3.  4.  5.]]]\n\n\n [[[ 6.  7.  8.]\n   [ 9. 10. 11.]]]]",
                Tensor.arange(2, 1, 2, 3).toString());
    }

    @Test
    void lowerRanks() {
        assertEquals("[1. 2. 3.]", Tensor.of(new double[] {1, 2, 3}, 3).toString());
        assertEquals("[[1. 2.]\n [3. 4.]]", Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("5.", Tensor.of(new double[] {5}).toString());
    }

    @Test
    void nonIntegersPrintDecimalsWithPointsAligned() {
        assertEquals("[ 0.5  -1.25  3.  ]", Tensor.of(new double[] {0.5, -1.25, 3}, 3).toString());
        assertEquals("[[ 0.1   0.25]\n [ 2.   -3.  ]]", Tensor.of(new double[] {0.1, 0.25, 2, -3}, 2, 2).toString());
        assertEquals("[0.1235 1.    ]", Tensor.of(new double[] {0.12345, 1}, 2).toString(), "at most four decimals");
    }

    @Test
    void nanAndInfinity() {
        assertEquals("[ 1.25   nan 10.  ]", Tensor.of(new double[] {1.25, Double.NaN, 10}, 3).toString());
        assertTrue(Tensor.of(new double[] {1, Double.NEGATIVE_INFINITY}, 2).toString().contains("-inf"));
    }

    @Test
    void decimalPointDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("[ 0.5  -1.25  3.  ]", Tensor.of(new double[] {0.5, -1.25, 3}, 3).toString());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void largeTensorsPrintASummary() {
        String s = Tensor.full(2, 40, 40).toString();
        assertEquals("Tensor(40, 40) min=2. max=2. mean=2.", s);
    }
}
