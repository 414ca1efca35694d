package cnnkit.data;

/**
 * A data set that is not on this machine. The message says where the kit looked and how to get the
 * files (which package installs them, or where to put them), so the fix is one command away.
 */
public class MissingDataException extends RuntimeException {
    public MissingDataException(String message) {
        super(message);
    }
}
