package cnnkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cnnkit / PyTorch ratios of {@code --torch}: one against float32, one against float64, for times only. */
class BenchmarkRatiosTest {
    @Test
    void eachTimeGetsAFloat32AndAFloat64Ratio() {
        List<Figure> mine = List.of(new Figure("resnet_step_ms", 120, "ms"), new Figure("lenet5_epoch_s", 30, "s"),
                new Figure("matmul_square256_gflops", 15, "GFLOP/s"));
        List<Figure> torch = List.of(new Figure("torch_resnet_step_ms", 40, "ms"),
                new Figure("torch_f64_resnet_step_ms", 240, "ms"), new Figure("torch_lenet5_epoch_s", 20, "s"),
                new Figure("torch_lenet5_mean_loss", 0.3, "nats"), new Figure("torch_peak_memory_mb", 300, "MB"),
                new Figure("torch_f64_conv_lenet2_fwd_bwd_ms", 5, "ms"));
        List<Figure> ratios = Benchmark.ratios(mine, torch);
        assertEquals(3, ratios.size(), ratios.toString());
        assertEquals(new Figure("resnet_step_ratio", 3.0, "x (cnnkit / PyTorch float32)"), ratios.get(0));
        assertEquals(new Figure("resnet_step_f64_ratio", 0.5, "x (cnnkit / PyTorch float64)"), ratios.get(1));
        assertEquals(new Figure("lenet5_epoch_ratio", 1.5, "x (cnnkit / PyTorch float32)"), ratios.get(2));
    }

    @Test
    void aZeroTimeGivesNoRatio() {
        List<Figure> ratios = Benchmark.ratios(List.of(new Figure("resnet_step_ms", 120, "ms")),
                List.of(new Figure("torch_f64_resnet_step_ms", 0, "ms")));
        assertEquals(List.of(), ratios);
    }
}
