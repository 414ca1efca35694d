package cnnkit.train;

/** A model file that cannot be loaded: corrupted, truncated, or made for a different model. */
public class ModelFileException extends RuntimeException {
    public ModelFileException(String message) {
        super(message);
    }
}
