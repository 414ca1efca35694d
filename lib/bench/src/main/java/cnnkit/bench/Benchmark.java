package cnnkit.bench;

import cnnkit.data.Batch;
import cnnkit.data.Dataset;
import cnnkit.data.Mnist;
import cnnkit.engine.MatMul;
import cnnkit.engine.Parallel;
import cnnkit.layers.Conv2D;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.models.LeNet5;
import cnnkit.models.Model;
import cnnkit.models.ModelConfig;
import cnnkit.models.ResNet;
import cnnkit.optim.SGD;
import cnnkit.tensor.Tensor;
import cnnkit.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures how fast cnnkit trains and prints one {@code name: value unit} line per figure.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx1g -XX:G1HeapRegionSize=4m \
 *      -cp lib/target/cnnkit-all.jar:bench/target/cnnkit-bench.jar cnnkit.bench.Benchmark \
 *      [--batches N] [--json FILE] [--only GROUP,...] [--data DIR] [--torch]
 * </pre>
 * (Without {@code --add-modules jdk.incubator.vector} the matrix multiply runs on its plain
 * kernel, see {@code MatMul.kernel()}. The region size matters for memory: layer outputs of a
 * few MB are "humongous" objects for G1's default 1 MB regions, and G1 then grows the heap to its
 * maximum; with 4 MB regions the whole run stays under about 450 MB.)
 * Groups (for {@code --only}): {@code matmul} (GFLOP/s of the multiply at the sizes LeNet-5 and
 * the tiny ResNet use), {@code conv} (one Conv2D forward + backward), {@code lenet5} (one MNIST
 * training epoch of LeNet-5, batch 64, SGD lr 0.1; with {@code --batches N} only N batches are
 * timed and the epoch time is projected from them), {@code resnet} (one training step of the
 * tiny ResNet, batch 16, 3x32x32, median of 20 after 20 untimed warm-up steps). The peak memory of the process comes last.
 * With {@code --torch}, {@code bench/torch_reference.py} then measures the same workloads
 * with PyTorch in float32 and float64, and for each time a {@code _ratio} line (cnnkit / PyTorch
 * float32) and a {@code _f64_ratio} line (cnnkit / PyTorch float64, the same precision as cnnkit)
 * follow; below 1 means cnnkit is faster.
 */
public final class Benchmark {
    static final List<String> GROUPS = List.of("matmul", "conv", "lenet5", "resnet");
    private static final int LENET_BATCH = 64;
    private static final double LENET_LR = 0.1;
    private static final int RESNET_BATCH = 16;
    /** Untimed steps first: the JIT compiles the kernels during the first few seconds of a run. */
    private static final int RESNET_WARMUP = 20;
    private static final int RESNET_STEPS = 20;
    /** Untimed LeNet-5 batches before the timed epoch, at least this long. */
    private static final long LENET_WARMUP_NANOS = 2_000_000_000L;
    /** Untimed multiplies before the first matmul figure. */
    private static final long MATMUL_WARMUP_NANOS = 2_000_000_000L;

    private final Options options;
    private final Report report;

    private Benchmark(Options options, Report report) {
        this.options = options;
        this.report = report;
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Benchmark: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        Report report = new Report(System.out);
        new Benchmark(options, report).run();
        if (options.json != null) {
            report.writeJson(options.json);
            System.out.println("# json: " + options.json.toAbsolutePath().normalize());
        }
    }

    private void run() {
        report.note("threads", String.valueOf(Parallel.threads()));
        report.note("matmul_kernel", MatMul.kernel());
        report.note("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        report.note("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.note("max_heap_mb", String.valueOf(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        report.note("load_average_at_start", loadAverage());
        if (options.selected("matmul")) {
            matmul();
        }
        if (options.selected("conv")) {
            conv();
        }
        if (options.selected("lenet5")) {
            lenet5();
        }
        if (options.selected("resnet")) {
            resnet();
        }
        PeakMemory.Reading peak = PeakMemory.read();
        report.note("peak_memory_source", peak.source());
        report.add("peak_memory_mb", peak.mib(), "MB");
        report.note("load_average_at_end", loadAverage());
        // The self-check may have switched kernels during the run: say which one the figures came from.
        report.note("matmul_kernel_at_end", MatMul.kernel());
        if (options.torch) {
            compareWithTorch();
        }
    }

    /** Runs the PyTorch reference on the same groups and prints cnnkit / PyTorch for every figure both have. */
    private void compareWithTorch() {
        List<String> args = new ArrayList<>(List.of("--only", String.join(",", options.only)));
        if (options.batches > 0) {
            args.addAll(List.of("--batches", String.valueOf(options.batches)));
        }
        if (options.data != null) {
            args.addAll(List.of("--data", options.data.toAbsolutePath().toString()));
        }
        List<Figure> mine = report.figures();
        for (Figure ratio : ratios(mine, TorchReference.run(options.python, args, report))) {
            report.add(ratio.name(), ratio.value(), ratio.unit());
        }
    }

    /**
     * cnnkit / PyTorch for every time both measured: {@code X_ratio} against PyTorch's float32
     * figure {@code torch_X}, {@code X_f64_ratio} against its float64 figure {@code torch_f64_X}
     * (X ends in {@code _s} or {@code _ms}, and loses that ending). Below 1 means cnnkit is faster.
     */
    static List<Figure> ratios(List<Figure> mine, List<Figure> torch) {
        List<Figure> out = new ArrayList<>();
        for (Figure theirs : torch) {
            boolean f64 = theirs.name().startsWith("torch_f64_");
            String name = theirs.name().replaceFirst(f64 ? "^torch_f64_" : "^torch_", "");
            if (!(name.endsWith("_s") || name.endsWith("_ms")) || !(theirs.value() > 0)) {
                continue;
            }
            for (Figure f : mine) {
                if (f.name().equals(name)) {
                    out.add(new Figure(name.replaceFirst("_m?s$", "") + (f64 ? "_f64_ratio" : "_ratio"),
                            f.value() / theirs.value(), "x (cnnkit / PyTorch " + (f64 ? "float64" : "float32") + ")"));
                }
            }
        }
        return out;
    }

    // ---- matrix multiply ----

    private void matmul() {
        // The JIT compiles the multiply's kernels during the first second or so (the Vector API
        // kernel runs hundreds of times slower until then): warm up first, so that no figure
        // measures the compiler.
        double[] a = randomArray(new Random(2), 64 * 576);
        double[] b = randomArray(new Random(3), 576 * 256);
        double[] c = new double[64 * 256];
        repeatFor(MATMUL_WARMUP_NANOS, () -> MatMul.multiply(a, b, c, 64, 576, 256));
        // (M, K, N) of the per-image products inside the layers: conv as W (F, C k k) x cols (C k k, H'W').
        matmulFigure("matmul_lenet_conv1_gflops", 6, 25, 784, false);
        matmulFigure("matmul_lenet_conv2_gflops", 16, 150, 100, false);
        matmulFigure("matmul_lenet_fc1_gflops", 64, 400, 120, false);
        matmulFigure("matmul_resnet_conv16_gflops", 16, 144, 1024, false);
        matmulFigure("matmul_resnet_conv64_gflops", 64, 576, 64, false);
        matmulFigure("matmul_square256_gflops", 256, 256, 256, false);
        // The textbook triple loop at one of the sizes, for scale.
        matmulFigure("matmul_lenet_conv2_naive_gflops", 16, 150, 100, true);
    }

    private void matmulFigure(String name, int m, int k, int n, boolean naive) {
        Random rng = new Random(1);
        double[] a = randomArray(rng, m * k);
        double[] b = randomArray(rng, k * n);
        double[] c = new double[m * n];
        Runnable op = naive ? () -> MatMul.naive(a, b, c, m, k, n) : () -> MatMul.multiply(a, b, c, m, k, n);
        double seconds = bestSecondsPerCall(op, 0.15, 5);
        report.add(name, 2.0 * m * k * n / seconds / 1e9, "GFLOP/s");
    }

    // ---- one convolution layer ----

    private void conv() {
        // LeNet-5's conv2 (6 -> 16 maps, 5x5, on 14x14) and a ResNet stage-3 layer (64 -> 64, 3x3 pad 1, on 8x8), batch 64.
        convFigure("conv_lenet2_fwd_bwd_ms", new Conv2D(6, 16, 5, 1, 0, new Random(1)), 64, 14, false);
        convFigure("conv_resnet64_fwd_bwd_ms", new Conv2D(64, 64, 3, 1, 1, new Random(1)), 64, 8, false);
        // The teaching loops of the first layer (the engine switched off), for comparison.
        convFigure("conv_lenet2_teaching_fwd_bwd_ms", new Conv2D(6, 16, 5, 1, 0, new Random(1)), 64, 14, true);
    }

    private void convFigure(String name, Conv2D layer, int batch, int size, boolean teaching) {
        Tensor x = Tensor.randn(2, batch, layer.inChannels(), size, size);
        Tensor g = Tensor.randn(3, layer.outputShape(x.shape()));
        layer.useEngine(!teaching);
        Runnable step = () -> {
            layer.forward(x);
            layer.backward(g);
        };
        report.add(name, teaching ? medianSeconds(step, 1, 3) * 1e3 : medianSeconds(step, 10, 30) * 1e3, "ms");
    }

    // ---- LeNet-5 epoch ----

    private void lenet5() {
        Dataset train = mnistTrain();
        int total = (train.size() + LENET_BATCH - 1) / LENET_BATCH;
        int timed = options.batches > 0 ? Math.min(options.batches, total) : total;
        ModelConfig cfg = ModelConfig.of(1, 32, 10);
        // Batches on a throw-away model first, for at least LENET_WARMUP_NANOS, so the JIT has compiled the
        // kernels before the clock starts (the PyTorch reference warms up the same way).
        Model warm = LeNet5.build(cfg);
        repeatFor(LENET_WARMUP_NANOS, () -> trainLeNet(warm, train, Math.min(20, total), 7));
        double cpuStart = processCpuSeconds();
        long start = System.nanoTime();
        double[] lossAndAccuracy = trainLeNet(LeNet5.build(cfg), train, timed, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = processCpuSeconds() - cpuStart;
        report.note("lenet5_timed_batches", timed + " of " + total + " (batch " + LENET_BATCH + ", SGD lr " + LENET_LR + ")");
        report.add("lenet5_epoch_s", seconds * total / timed, "s");
        // CPU time of all threads: on a busy machine, where wall time depends on the others, this still compares the work done.
        report.add("lenet5_epoch_cpu_s", cpuSeconds * total / timed, "s");
        report.add("lenet5_train_loss", lossAndAccuracy[0], "nats");
        report.add("lenet5_train_accuracy", 100 * lossAndAccuracy[1], "%");
        report.add("lenet5_peak_memory_mb", PeakMemory.read().mib(), "MB");
    }

    /**
     * The first {@code batches} batches of one shuffled epoch, each step as a training loop takes
     * it: materialise the batch from the compact data set, forward, loss, zero the gradients,
     * backward, SGD update. Returns the mean loss and accuracy over those batches.
     */
    private static double[] trainLeNet(Model model, Dataset train, int batches, long shuffleSeed) {
        Trainer trainer = Trainer.of(model, new SoftmaxCrossEntropy(), new SGD(model.params(), LENET_LR));
        List<Batch> epoch = train.batches(LENET_BATCH, shuffleSeed);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int b = 0; b < batches; b++) {
            Batch batch = epoch.get(b);
            Trainer.StepResult step = trainer.step(batch.x(), batch.yOneHot(train.numClasses()));
            lossSum += step.loss() * batch.size();
            correct += countCorrect(step.output(), batch.y());
            seen += batch.size();
        }
        return new double[] {lossSum / seen, (double) correct / seen};
    }

    private static long countCorrect(Tensor logits, int[] labels) {
        int classes = logits.dim(1);
        double[] d = logits.data();
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (d[i * classes + c] > d[i * classes + best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return correct;
    }

    /** MNIST's 60,000 training digits padded to 32x32, or random digits of that shape if the files are missing. */
    private Dataset mnistTrain() {
        Dataset train;
        try {
            train = options.data != null ? Mnist.train(options.data) : Mnist.train();
            report.note("lenet5_data", "MNIST training set, " + train.size() + " images, padded to 32x32");
        } catch (RuntimeException e) {
            report.note("lenet5_data", "random bytes of MNIST's shape (MNIST not found: " + e.getMessage() + ")");
            train = syntheticMnist();
        }
        return train.padded(2);
    }

    private static Dataset syntheticMnist() {
        int n = 60_000;
        Random rng = new Random(1);
        byte[] pixels = new byte[n * 28 * 28];
        rng.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        return Dataset.ofBytes("random MNIST-shaped digits", pixels, labels, new int[] {1, 28, 28}, 10, 1 / 255.0);
    }

    // ---- tiny ResNet step ----

    private void resnet() {
        Model model = ResNet.build(ModelConfig.of(3, 32, 10));
        Trainer trainer = Trainer.of(model, new SoftmaxCrossEntropy(), new SGD(model.params(), 0.01));
        Tensor x = Tensor.randn(5, RESNET_BATCH, 3, 32, 32);
        Tensor target = Dataset.oneHot(new Random(6).ints(RESNET_BATCH, 0, 10).toArray(), 10);
        Runnable step = () -> trainer.step(x, target);
        report.add("resnet_step_ms", medianSeconds(step, RESNET_WARMUP, RESNET_STEPS) * 1e3, "ms");
        double cpuStart = processCpuSeconds();
        for (int i = 0; i < RESNET_STEPS; i++) {
            step.run();
        }
        report.add("resnet_step_cpu_ms", (processCpuSeconds() - cpuStart) / RESNET_STEPS * 1e3, "ms");
    }

    /** CPU time of the whole process (all threads), in seconds; NaN where the JVM cannot tell. */
    private static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns >= 0 ? ns / 1e9 : Double.NaN;
        }
        return Double.NaN;
    }

    // ---- timing ----

    /** Runs {@code op} again and again (at least once) until {@code nanos} have passed: untimed warm-up. */
    private static void repeatFor(long nanos, Runnable op) {
        long until = System.nanoTime() + nanos;
        do {
            op.run();
        } while (System.nanoTime() < until);
    }

    /** Median wall time of {@code runs} calls after {@code warmup} untimed ones. */
    static double medianSeconds(Runnable op, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

    /**
     * Seconds per call, best of {@code rounds} rounds of about {@code roundSeconds} each: for a
     * kernel's throughput the fastest round is the one least disturbed by other processes.
     */
    static double bestSecondsPerCall(Runnable op, double roundSeconds, int rounds) {
        // Warm up (JIT) and find how many calls fill a round.
        long calls = 1;
        while (true) {
            long start = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                op.run();
            }
            double s = (System.nanoTime() - start) / 1e9;
            if (s >= roundSeconds / 4) {
                calls = Math.max(1, (long) (calls * roundSeconds / s));
                break;
            }
            calls *= 2;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                op.run();
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / calls);
        }
        return best;
    }

    private static double[] randomArray(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: java --add-modules jdk.incubator.vector -Xmx1g -XX:G1HeapRegionSize=4m \\",
                "            -cp lib/target/cnnkit-all.jar:bench/target/cnnkit-bench.jar cnnkit.bench.Benchmark [options]",
                "  --batches N       time only N LeNet-5 batches and project the epoch time from them",
                "  --json FILE       also write the figures as JSON",
                "  --only G1,G2      run only these groups: " + String.join(", ", GROUPS),
                "  --data DIR        folder with the MNIST files (default: the kit's data folder)",
                "  --torch           then run " + TorchReference.SCRIPT + " (PyTorch, float32 and float64) and print cnnkit / PyTorch ratios for both",
                "  --python PATH     the Python with PyTorch for --torch (default /usr/bin/python3)",
                "  -Dcnnkit.threads=N (a JVM option, before -cp) limits the kernels to N threads");
        int batches;
        Path json;
        Path data;
        List<String> only = GROUPS;
        boolean help;
        boolean torch;
        String python = "/usr/bin/python3";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--batches" -> o.batches = positiveInt(a, value(args, ++i, a));
                    case "--json" -> o.json = Path.of(value(args, ++i, a));
                    case "--data" -> o.data = Path.of(value(args, ++i, a));
                    case "--only" -> o.only = groups(value(args, ++i, a));
                    case "--torch" -> o.torch = true;
                    case "--python" -> o.python = value(args, ++i, a);
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return o;
        }

        boolean selected(String group) {
            return only.contains(group);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int positiveInt(String flag, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(flag + " needs a positive integer, got '" + v + "'");
        }

        private static List<String> groups(String v) {
            List<String> out = new ArrayList<>();
            for (String g : v.split(",")) {
                String name = g.trim();
                if (!GROUPS.contains(name)) {
                    throw new IllegalArgumentException("--only: unknown group '" + name + "', groups are " + GROUPS);
                }
                out.add(name);
            }
            return out;
        }
    }
}
