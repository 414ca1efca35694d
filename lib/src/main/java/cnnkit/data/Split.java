package cnnkit.data;

/** A dataset cut in two disjoint parts by {@link Dataset#split}: a training part and a held-out test part. */
public record Split(Dataset train, Dataset test) {
    @Override
    public String toString() {
        return "Split(train " + train.size() + ", test " + test.size() + ")";
    }
}
