package cnnkit.check;

import cnnkit.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a {@link GradientExplorer} run: one row per layer, plus one for the input,
 * printable as a table and readable as arrays for a chart of gradient norms per layer.
 */
public final class GradientTable {
    /**
     * One layer's output and the gradient that reached it.
     *
     * @param layer         the layer's toString ("input" for the input row)
     * @param shape         the layer's output shape (the input's shape for the input row)
     * @param paramCount    the layer's trainable values (0 for the input row)
     * @param outputNorm    ||output||, the Euclidean norm of all its values
     * @param gradNorm      ||dL/d output||; for the input row, ||dL/dX||
     * @param paramGradNorm the norm of all the layer's parameter gradients together (0 without parameters)
     */
    public record Row(String layer, int[] shape, long paramCount, double outputNorm, double gradNorm,
            double paramGradNorm) {
        public Row {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    private final String lossDescription;
    private final double loss;
    private final Row input;
    private final List<Row> rows;

    GradientTable(String lossDescription, double loss, Row input, List<Row> rows) {
        this.lossDescription = lossDescription;
        this.loss = loss;
        this.input = input;
        this.rows = List.copyOf(rows);
    }

    /** One row per layer, in forward order. */
    public List<Row> rows() {
        return rows;
    }

    /** The input: its shape, ||x|| and ||dL/dX||. */
    public Row input() {
        return input;
    }

    /** The scalar loss whose gradients the table shows. */
    public double loss() {
        return loss;
    }

    /** The layer names, in forward order (for a chart's axis). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        rows.forEach(r -> names.add(r.layer()));
        return names;
    }

    /** ||dL/d output|| of each layer, in forward order. */
    public double[] gradNorms() {
        return rows.stream().mapToDouble(Row::gradNorm).toArray();
    }

    /** ||output|| of each layer, in forward order. */
    public double[] outputNorms() {
        return rows.stream().mapToDouble(Row::outputNorm).toArray();
    }

    /** The norm of each layer's parameter gradients (0 for layers without parameters). */
    public double[] paramGradNorms() {
        return rows.stream().mapToDouble(Row::paramGradNorm).toArray();
    }

    @Override
    public String toString() {
        String fmt = "%-3s %-44s %-18s %11s %12s %13s%n";
        StringBuilder sb = new StringBuilder(String.format("gradient flow, loss = %s = %.4g%n", lossDescription, loss));
        sb.append(String.format(fmt, "#", "layer", "output shape", "||out||", "||dL/dout||", "||dL/dparams||"));
        sb.append("-".repeat(106)).append('\n');
        sb.append(String.format(fmt, "", "input (grad is dL/dX)", Shape.str(input.shape()),
                num(input.outputNorm()), num(input.gradNorm()), ""));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(fmt, i, r.layer(), Shape.str(r.shape()), num(r.outputNorm()), num(r.gradNorm()),
                    r.paramCount() > 0 ? num(r.paramGradNorm()) : "-"));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format("%.3e", v);
    }
}
