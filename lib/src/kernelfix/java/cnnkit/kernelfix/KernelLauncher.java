package cnnkit.kernelfix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own main class does, with one step more: the
 * request loops are let in only after {@code Channels.connect} has installed the message handlers.
 * Used as the main class of the {@code java} kernelspec that {@code ./kit} installs, with cnnkit's
 * {@link LoopThread} ahead of the kernel jar on the class path. See docs/kernel-start-race.md.
 *
 * <p>usage: {@code KernelLauncher CONNECTION_FILE}, read as the kernel's main class reads it (its
 * first argument); the kernel's own installer ({@code -i ...}) and a missing argument go to the
 * kernel's main class unchanged.
 */
public final class KernelLauncher {

    private KernelLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-i")) {
            MainApp.main(args);
            return;
        }
        readLoggingConfiguration();
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file not found: " + connectionFile);
        }
        ConnectionProperties properties =
                Transform.fromJson(Files.readString(connectionFile), ConnectionProperties.class);
        Channels channels = new Channels(properties);
        channels.connect(MainApp.kernel);  // binds the sockets, starts the loops, installs the handlers
        LoopThread.openForRequests();
        channels.joinUntilClose();
    }

    /** The kernel's own logging set-up (its log goes to the kernel's stderr, which Jupyter shows in its log). */
    private static void readLoggingConfiguration() throws IOException {
        try (InputStream in = MainApp.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        }
    }
}
