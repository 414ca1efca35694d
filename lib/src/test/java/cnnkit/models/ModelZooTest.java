package cnnkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.layers.Dense;
import cnnkit.layers.Dropout;
import cnnkit.layers.ResidualBlock;
import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every architecture against the reference notebook: parameter counts at width 1.0 worked out by
 * hand from the notebook's layer list (weights + biases per layer), output shapes, summaries, a
 * few training steps and spot gradient checks on scaled-down copies.
 */
class ModelZooTest {

    private static void assertLogits(Model net, int batch) {
        int[] in = net.inputShape();
        Tensor y = net.forward(Tensor.randn(3, batch, in[0], in[1], in[2]));
        assertArrayEquals(new int[] {batch, net.config().numClasses()}, y.shape());
    }

    private static void assertSummaryListsEveryLayer(Model net) {
        String s = net.summary();
        for (String name : net.names()) {
            assertTrue(s.contains(" " + name + " "), "summary lacks " + name + ":\n" + s);
        }
        assertTrue(s.contains(String.format("total parameters: %,d", net.paramCount())), s);
        assertTrue(s.contains(net.name()), s);
    }

    private static int[] dense(Model net, String name) {
        return ((Dense) net.layer(name)).weight().shape();
    }

    // ---- LeNet-5 ----------------------------------------------------------------------------

    @Test
    void lenet5AsInTheNotebook() {
        Model net = Models.lenet5(1, 32, 10, 1.0, 1);
        // conv1 1*6*5*5 + 6; conv2 6*16*5*5 + 16; fc1 16*5*5*120 + 120; fc2 120*84 + 84; fc3 84*10 + 10
        assertEquals(156 + 2_416 + 48_120 + 10_164 + 850, net.paramCount());
        assertEquals(61_706, net.paramCount());
        assertArrayEquals(new int[] {400, 120}, dense(net, "fc1"));
        assertEquals(12, net.size()); // 2 x (conv, tanh, pool), flatten, 3 x dense, 2 x tanh
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void lenet5OnUnpadded28x28() {
        Model net = Models.lenet5(1, 28, 10, 1.0, 1);
        // 28 -conv5-> 24 -pool-> 12 -conv5-> 8 -pool-> 4: 16*4*4 = 256 features
        assertArrayEquals(new int[] {256, 120}, dense(net, "fc1"));
        assertLogits(net, 3);
    }

    @Test
    void widthScalesChannelsAndHiddenUnits() {
        Model net = Models.lenet5(1, 32, 10, 0.5, 1);
        // 6 -> 3 maps, 16 -> 8 maps, 120 -> 60, 84 -> 42; the 10 outputs stay
        assertArrayEquals(new int[] {8 * 5 * 5, 60}, dense(net, "fc1"));
        assertArrayEquals(new int[] {60, 42}, dense(net, "fc2"));
        assertArrayEquals(new int[] {42, 10}, dense(net, "fc3"));
        assertEquals((25 * 3 + 3) + (3 * 8 * 25 + 8) + (200 * 60 + 60) + (60 * 42 + 42) + (42 * 10 + 10), net.paramCount());
    }

    // ---- AlexNet ----------------------------------------------------------------------------

    @Test
    void alexnetAsInTheNotebook() {
        Model net = Models.alexnet(3, 32, 10, 1.0, 1);
        long convs = (3 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + (64 * 128 * 9 + 128) + (128 * 128 * 9 + 128)
                + (128 * 64 * 9 + 64);
        long fcs = (64 * 4 * 4 * 512 + 512) + (512 * 512 + 512) + (512 * 10 + 10);
        assertEquals(convs + fcs, net.paramCount());
        assertEquals(1_107_210, net.paramCount());
        assertEquals(2, net.names().stream().filter(n -> n.startsWith("lrn")).count());
        assertEquals(2, net.names().stream().filter(n -> n.startsWith("drop")).count());
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void alexnetDropoutOnlyInTraining() {
        Model net = Models.alexnet(1, 16, 5, 0.25, 3);
        Tensor x = Tensor.randn(4, 2, 1, 16, 16);
        assertNotEquals(net.forward(x), net.forward(x)); // a fresh dropout mask per training forward
        net.eval();
        assertEquals(net.forward(x), net.forward(x));
        // 28x28: 28 -> 14 -> 7 -> 3 after three poolings, 64 * 3 * 3 = 576 features
        assertArrayEquals(new int[] {576, 512}, dense(Models.alexnet(1, 28, 10, 1.0, 1), "fc1"));
    }

    // ---- VGG-11 -----------------------------------------------------------------------------

    @Test
    void vgg11AsInTheNotebook() {
        Model net = Models.vgg11(3, 32, 10, 1.0, 1);
        long convs = (3 * 64 * 9 + 64) + (64 * 128 * 9 + 128) + (128 * 256 * 9 + 256) + (256 * 256 * 9 + 256)
                + (256 * 512 * 9 + 512) + 3 * (512 * 512 * 9 + 512);
        long fcs = (512 * 512 + 512) + (512 * 10 + 10);
        assertEquals(convs + fcs, net.paramCount());
        assertEquals(9_488_266, net.paramCount());
        assertEquals(8, net.names().stream().filter(n -> n.startsWith("conv")).count());
        assertEquals(5, net.names().stream().filter(n -> n.startsWith("pool")).count());
        assertLogits(net, 1);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void vgg11NeedsAtLeast32Pixels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.vgg11(1, 28, 10, 0.25, 1));
        assertTrue(e.getMessage().contains("VGG-11") && e.getMessage().contains("pool5")
                && e.getMessage().contains("smallest input size VGG-11 accepts is 32"), e.getMessage());
        assertLogits(Models.vgg11(1, 32, 10, 0.0625, 1), 2);
    }

    // ---- GoogLeNet --------------------------------------------------------------------------

    @Test
    void googlenetAsInTheNotebook() {
        Model net = Models.googlenet(3, 32, 10, 1.0, 1);
        long stem = (3 * 32 * 9 + 32) + (32 * 64 * 9 + 64);
        // branches: 1x1 | 1x1 reduce, 3x3 | 1x1 reduce, 5x5 | pool, 1x1
        long inception1 = (64 * 32 + 32) + (64 * 16 + 16) + (16 * 64 * 9 + 64) + (64 * 8 + 8) + (8 * 16 * 25 + 16)
                + (64 * 16 + 16);
        long inception2 = (128 * 64 + 64) + (128 * 32 + 32) + (32 * 96 * 9 + 96) + (128 * 16 + 16)
                + (16 * 32 * 25 + 32) + (128 * 32 + 32);
        long fc = 224 * 10 + 10;
        assertEquals(inception1, net.layer("inception1").paramCount());
        assertEquals(inception2, net.layer("inception2").paramCount());
        assertEquals(stem + inception1 + inception2 + fc, net.paramCount());
        assertEquals(97_970, net.paramCount());
        // 32 -pool 3/2-> 15 -pool 3/2-> 7: the final average pool covers the 7x7 map
        assertArrayEquals(new int[] {1, 224, 7, 7}, featuresBefore(net, "avgpool", 32));
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void googlenetOn28x28PoolsTheWholeMap() {
        Model net = Models.googlenet(1, 28, 10, 0.25, 1);
        // 28 -> 13 -> 6: global average pooling takes the whole 6x6 map
        assertArrayEquals(new int[] {1, 56, 6, 6}, featuresBefore(net, "avgpool", 28));
        assertLogits(net, 2);
    }

    // ---- ResNet -----------------------------------------------------------------------------

    @Test
    void resnetAsInTheNotebook() {
        Model net = Models.resnet(3, 32, 10, 1.0, 1);
        long stem = 3 * 16 * 9 + 16;
        long same16 = 2 * (16 * 16 * 9 + 16);
        long down32 = (16 * 32 * 9 + 32) + (32 * 32 * 9 + 32) + (16 * 32 + 32); // + 1x1 projection
        long same32 = 2 * (32 * 32 * 9 + 32);
        long down64 = (32 * 64 * 9 + 64) + (64 * 64 * 9 + 64) + (32 * 64 + 64);
        long same64 = 2 * (64 * 64 * 9 + 64);
        long fc = 64 * 10 + 10;
        assertEquals(stem + 2 * same16 + down32 + same32 + down64 + same64 + fc, net.paramCount());
        assertEquals(174_698, net.paramCount());
        assertTrue(((ResidualBlock) net.layer("stage2.block1")).hasProjection());
        assertTrue(!((ResidualBlock) net.layer("stage2.block2")).hasProjection());
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void resnetWithBatchNorm() {
        Model net = Models.resnetBN(3, 32, 10, 1.0, 1);
        // No convolution bias in front of a BN; each BN has gamma and beta per channel.
        long stem = 3 * 16 * 9 + 2 * 16;
        long same16 = 2 * (16 * 16 * 9 + 2 * 16);
        long down32 = (16 * 32 * 9 + 2 * 32) + (32 * 32 * 9 + 2 * 32) + (16 * 32 + 2 * 32);
        long same32 = 2 * (32 * 32 * 9 + 2 * 32);
        long down64 = (32 * 64 * 9 + 2 * 64) + (64 * 64 * 9 + 2 * 64) + (32 * 64 + 2 * 64);
        long same64 = 2 * (64 * 64 * 9 + 2 * 64);
        long fc = 64 * 10 + 10;
        assertEquals(stem + 2 * same16 + down32 + same32 + down64 + same64 + fc, net.paramCount());
        assertEquals(175_258, net.paramCount());
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    // ---- DenseNet ---------------------------------------------------------------------------

    /** A bottleneck dense layer with growth 12: 1x1 to 48 channels, 3x3 to 12. */
    private static long denseLayer(int in) {
        return (in * 48 + 48) + (48 * 12 * 9 + 12);
    }

    private static long denseLayerBC(int in) {
        return 2 * in + in * 48 + 2 * 48 + 48 * 12 * 9;
    }

    @Test
    void densenetBCWithoutBatchNorm() {
        Model net = Models.densenetBCNoBN(3, 32, 10, 1.0, 1);
        long stem = 3 * 16 * 9 + 16;
        long block1 = denseLayer(16) + denseLayer(28) + denseLayer(40); // 16 + 3 * 12 = 52 channels out
        long transition = 52 * 26 + 26;                                   // compression 0.5: 26
        long block2 = denseLayer(26) + denseLayer(38) + denseLayer(50);  // 26 + 36 = 62
        long fc = 62 * 10 + 10;
        assertEquals(block1, net.layer("block1").paramCount());
        assertEquals(stem + block1 + transition + block2 + fc, net.paramCount());
        assertEquals(43_424, net.paramCount());
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    @Test
    void densenetBC() {
        Model net = Models.densenetBC(3, 32, 10, 1.0, 1);
        long stem = 3 * 16 * 9;
        long block1 = denseLayerBC(16) + denseLayerBC(28) + denseLayerBC(40);
        long transition = 2 * 52 + 52 * 26;
        long block2 = denseLayerBC(26) + denseLayerBC(38) + denseLayerBC(50);
        long finalBn = 2 * 62;
        long fc = 62 * 10 + 10;
        assertEquals(stem + block1 + transition + block2 + finalBn + fc, net.paramCount());
        assertLogits(net, 2);
        assertSummaryListsEveryLayer(net);
    }

    // ---- all families: training and gradients on small copies ---------------------------------

    /** Tiny configurations: few channels, small images, fast. VGG-11 needs 32 pixels. */
    static ModelConfig tiny(String name) {
        return switch (name) {
            case "vgg11" -> new ModelConfig(1, 32, 4, 0.0625, 5);
            case "lenet5" -> new ModelConfig(1, 16, 4, 0.5, 5);
            case "googlenet", "alexnet" -> new ModelConfig(1, 12, 4, 0.125, 5);
            default -> new ModelConfig(1, 8, 4, 0.25, 5);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "alexnet", "vgg11", "googlenet", "resnet", "resnet-bn", "densenet-bc", "densenet-bc-nobn"})
    void aFewStepsLowerTheLoss(String name) {
        ModelConfig cfg = tiny(name);
        Model net = Models.build(name, cfg);
        int[] labels = {0, 1, 2, 3, 0, 1, 2, 3};
        Tensor x = ModelTestSupport.patterns(labels, cfg.inputSize(), 6);
        double[] loss = ModelTestSupport.train(net, x, labels, 25, 0.02);
        double last = (loss[22] + loss[23] + loss[24]) / 3; // dropout makes single steps noisy
        assertTrue(last < 0.8 * loss[0], name + " losses: " + java.util.Arrays.toString(loss));
    }

    private static void perturbBiases(Model net, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        for (cnnkit.tensor.Param p : net.params()) {
            if (p.name().equals("bias") || p.name().equals("beta")) {
                double[] v = p.value().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.1 * rng.nextGaussian();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "alexnet", "vgg11", "googlenet", "resnet", "resnet-bn", "densenet-bc", "densenet-bc-nobn"})
    void spotGradientCheck(String name) {
        ModelConfig cfg = tiny(name).withClasses(3);
        Model net = Models.build(name, cfg);
        // Freshly built, every bias is 0, and then a ReLU -> conv -> ReLU chain puts exact zeros
        // on the second ReLU wherever the first one zeroed a whole window: a kink hit dead on,
        // where the centred difference sees half a slope. Non-zero biases (as after any training
        // step) move those values off the kink.
        perturbBiases(net, 9);
        Tensor x = Tensor.randn(7, 2, 1, cfg.inputSize(), cfg.inputSize());
        if (name.equals("alexnet")) {
            // Check the training-mode function with one fixed dropout mask.
            net.forward(x);
            ((Dropout) net.layer("drop1")).freezeMask(true);
            ((Dropout) net.layer("drop2")).freezeMask(true);
        }
        // A whole network sums far more terms than one block, so the rounding noise of the centred
        // difference is larger, and elements whose gradient is ~1e-5 reach relative errors of a few
        // 1e-7 or even 1e-6, depending on the summation order of the fast kernels (at h = 1e-3 the
        // same elements agree to 1e-9). Every block is checked at 1e-7 on its own; here 1e-5 still
        // separates rounding from a wrong gradient (errors of 1e-2 or more).
        double[] worst = new double[1];
        String where = ModelTestSupport.spotCheck(net, x, 8, 4, worst);
        assertTrue(worst[0] < 1e-5, name + ": relative error " + worst[0] + " in " + where);
    }

    /** The shape of one example's features as they reach the layer called {@code name}. */
    private static int[] featuresBefore(Model net, String name, int size) {
        Tensor x = Tensor.zeros(1, net.inputShape()[0], size, size);
        for (int i = 0; i < net.names().indexOf(name); i++) {
            x = net.get(i).forward(x);
        }
        return x.shape();
    }
}
