package cnnkit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The most memory the process has held. On Linux that is the resident-set high-water mark
 * {@code VmHWM} from {@code /proc/self/status}: everything the JVM really touched (heap, JIT code,
 * thread stacks), which is what the operating system has to provide. Elsewhere it falls back to
 * the sum of the JVM's memory pools' peak usage, which misses the JVM's own native memory.
 */
final class PeakMemory {
    private PeakMemory() {
    }

    /** Peak memory in MiB, and where the figure came from. */
    static Reading read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    if (parts.length == 2 && parts[1].equals("kB")) {
                        return new Reading(Long.parseLong(parts[0]) / 1024.0, "VmHWM");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: use the JVM's own accounting below
        }
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getPeakUsage() != null && (pool.getType() == MemoryType.HEAP || pool.getType() == MemoryType.NON_HEAP)) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return new Reading(bytes / (1024.0 * 1024.0), "JVM memory pools' peak usage");
    }

    record Reading(double mib, String source) {
    }
}
