/**
 * Data: labelled image sets as compact {@link cnnkit.data.Dataset}s, their loaders and transforms.
 *
 * <pre>{@code
 * Dataset digits = Digits.load();                       // data/digits.csv, 1797 x (1, 8, 8), [0, 1]
 * Split s = digits.split(0.8, 42, true);                // stratified, seeded
 * Dataset train = Mnist.train().padded(2);              // 60000 x (1, 32, 32) for LeNet-5
 * PixelStats st = train.pixelStats();
 * train = train.normalised(st);
 * Dataset test = Mnist.test().padded(2).normalised(st); // the training statistics, never the test's
 * for (Batch b : train.batches(64, epoch)) { ... b.x() (64, 1, 32, 32), b.y() ... }
 * Tensor photo = Images.astronaut();                    // (1, 1, 128, 128), 0..255
 * Dataset mine = CsvImages.reader().labelColumn("label").scale(1 / 255.0).read(Path.of("my.csv"));
 * }</pre>
 *
 * <p>Files are checked loudly: a wrong IDX magic number, a truncated file, a checksum mismatch, a
 * ragged or non-numeric CSV row, or a label out of range throws {@link cnnkit.data.DataFormatException}
 * naming the file and the byte offset or row, and nothing half-loaded is returned. Pixels given in
 * memory are checked too: a NaN or infinite value (or a double beyond the float range, such as
 * 1e39) throws, naming the sample, channel, row and column. A file that cannot be opened throws an
 * {@link java.io.UncheckedIOException} that keeps the reason ("no such file", "permission denied"). A data set that is
 * not on the machine throws {@link cnnkit.data.MissingDataException} saying how to get it.
 */
package cnnkit.data;
