package cnnkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.BatchNorm2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Model container, ModelConfig and the Models factories. */
class ModelTest {

    @Test
    void shapesAreKnownWhileBuilding() {
        Model net = new Model("toy", ModelConfig.of(2, 9, 3));
        assertArrayEquals(new int[] {2, 9, 9}, net.outputShape());
        net.add("conv", new Conv2D(2, 4, 3, 2, 1, new Random(1)));
        assertArrayEquals(new int[] {4, 5, 5}, net.outputShape()); // (9 + 2 - 3) / 2 + 1 = 5
        net.add(new ReLU()).add("pool", new MaxPool2D(2, 2));
        assertArrayEquals(new int[] {4, 2, 2}, net.outputShape());
        assertEquals(16, net.outputSize());
        assertEquals(List.of("conv", "relu", "pool"), net.names());
    }

    @Test
    void forwardChecksTheConfiguredInput() {
        Model net = Models.lenet5(1, 32, 10, 0.5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(4, 1, 28, 28)));
        assertTrue(e.getMessage().contains("LeNet-5") && e.getMessage().contains("(N, 1, 32, 32)")
                && e.getMessage().contains("(4, 1, 28, 28)"), e.getMessage());
    }

    @Test
    void layersByName() {
        Model net = Models.lenet5(1, 32, 10, 1.0, 1);
        assertEquals("Conv2D(1->6, kernel=5, stride=1, padding=0)", net.layer("conv1").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.layer("conv9"));
        assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("fc3"), e.getMessage());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        List<Param> a = Models.resnet(1, 8, 3, 0.25, 11).params();
        List<Param> b = Models.resnet(1, 8, 3, 0.25, 11).params();
        List<Param> c = Models.resnet(1, 8, 3, 0.25, 12).params();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).value(), b.get(i).value());
        }
        assertNotEquals(a.get(0).value(), c.get(0).value());
    }

    @Test
    void summaryLeavesTheModelAsItWas() {
        Model net = Models.resnetBN(1, 8, 3, 0.25, 2);
        BatchNorm2D bn = (BatchNorm2D) net.layer("stem_bn");
        Tensor mean = bn.runningMean().copy();
        Tensor var = bn.runningVar().copy();
        String s = net.summary();
        assertTrue(s.contains("stem_bn") && s.contains("stage3.block2"), s);
        assertTrue(net.isTraining());
        assertTrue(bn.isTraining());
        assertEquals(mean, bn.runningMean());
        assertEquals(var, bn.runningVar());
        net.eval();
        net.summary();
        assertFalse(bn.isTraining());
    }

    @Test
    void summaryDrawsNoDropoutMask() {
        // Two identical AlexNets: the one whose summary was printed must draw the same masks.
        Model a = Models.alexnet(1, 16, 4, 0.25, 3);
        Model b = Models.alexnet(1, 16, 4, 0.25, 3);
        a.summary();
        Tensor x = Tensor.randn(1, 2, 1, 16, 16);
        assertEquals(a.forward(x), b.forward(x));
    }

    @Test
    void compositeBlocksAreOneRowEach() {
        String s = Models.googlenet(1, 16, 10, 0.25, 1).summary();
        long rows = s.lines().filter(l -> l.matches("^\\d+\\s.*")).count();
        assertEquals(11, rows); // conv, relu, conv, relu, pool, inception x 2, pool, avgpool, flatten, fc
        assertTrue(s.lines().anyMatch(l -> l.contains("inception1") && l.contains("Inception(")), s);
    }

    @Test
    void tooSmallInputsNameTheLayerAndTheMinimum() {
        // LeNet-5: 15 -conv5-> 11 -pool-> 5 -conv5-> 1 -pool2-> fails; 16 gives 12, 6, 2, 1.
        assertMinimum("lenet5", 16, "pool2");
        // AlexNet: three 2x2 poolings
        assertMinimum("alexnet", 8, "pool3");
        // GoogLeNet: two 3x3 stride-2 poolings: 7 -> 3 -> 1
        assertMinimum("googlenet", 7, "pool2");
        // VGG-11: five 2x2 poolings
        assertMinimum("vgg11", 32, "pool5");
        // DenseNet: the transition's 2x2 average pool
        assertMinimum("densenet-bc-nobn", 2, "transition1");
        assertMinimum("densenet-bc", 2, "transition1");
        // ResNet: padded 3x3 convolutions and global pooling run on a single pixel
        assertLogitsShape(Models.resnet(1, 1, 3, 0.25, 1));
    }

    private static void assertMinimum(String name, int smallest, String failingLayer) {
        ModelConfig cfg = new ModelConfig(1, smallest - 1, 3, 0.125, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.build(name, cfg));
        assertTrue(e.getMessage().contains("'" + failingLayer + "'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("accepts is " + smallest + "."), e.getMessage());
        assertLogitsShape(Models.build(name, cfg.withInputSize(smallest)));
    }

    private static void assertLogitsShape(Model net) {
        int s = net.config().inputSize();
        assertArrayEquals(new int[] {2, 3}, net.forward(Tensor.randn(1, 2, 1, s, s)).shape());
    }

    @Test
    void configValidatesAndScales() {
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(0, 28, 10, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(1, 28, 10, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(1, 28, 10, Double.NaN, 1));
        ModelConfig cfg = ModelConfig.of(1, 28, 10).withWidth(0.25);
        assertEquals(16, cfg.scale(64));
        assertEquals(2, cfg.scale(6)); // 1.5 rounds to 2
        assertEquals(1, cfg.scale(1)); // never below one channel
        assertArrayEquals(new int[] {1, 28, 28}, cfg.inputShape());
        assertEquals(7, cfg.withSeed(7).seed());
        assertEquals(32, cfg.withInputSize(32).inputSize());
    }

    @Test
    void buildByName() {
        for (String name : Models.NAMES) {
            ModelConfig cfg = ModelZooTest.tiny(name);
            Model net = Models.build(name, cfg);
            int s = cfg.inputSize();
            assertArrayEquals(new int[] {1, cfg.numClasses()}, net.forward(Tensor.randn(2, 1, 1, s, s)).shape(), name);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.build("inception-v9", ModelConfig.of(1, 28, 10)));
        assertTrue(e.getMessage().contains("inception-v9") && e.getMessage().contains("resnet"), e.getMessage());
    }
}
