package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the fast convolution cuts a batch into gradient groups: by the shapes alone, never by the machine. */
class FastConv2DTest {
    @Test
    void gradientGroupsDependOnlyOnShapes() {
        assertEquals(1, FastConv2D.gradientGroups(1, 784));
        assertEquals(FastConv2D.MAX_GRADIENT_GROUPS, FastConv2D.gradientGroups(64, 784));
        assertEquals(4, FastConv2D.gradientGroups(16, 64));  // 8x8 maps: 4 images per block, 4 blocks
        assertEquals(1, FastConv2D.gradientGroups(3, 16));   // one block holds the whole batch
    }
}
