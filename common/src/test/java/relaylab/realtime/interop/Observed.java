package relaylab.realtime.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lines that listeners on other threads record ("connect", "event welcome [...]"), awaited with a deadline. */
final class Observed {

    private final String who;
    private final List<String> lines = new ArrayList<>();

    Observed(String who) {
        this.who = who;
    }

    void record(String line) {
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
    }

    /** Waits for the first line starting with {@code prefix}; fails with everything recorded so far. */
    String await(String prefix, Duration timeout) {
        return await(prefix, 1, timeout);
    }

    /** Waits until {@code count} lines start with {@code prefix} and returns the last of them. */
    String await(String prefix, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                String found = null;
                int n = 0;
                for (String line : lines) {
                    if (line.startsWith(prefix) && ++n == count) {
                        found = line;
                        break;
                    }
                }
                if (found != null) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + who + " to see "
                            + (count > 1 ? count + " times " : "") + "\"" + prefix + "...\"; it saw:\n  "
                            + String.join("\n  ", lines));
                }
                try {
                    lines.wait(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** How many lines equal {@code line} right now. */
    long countExactly(String line) {
        synchronized (lines) {
            return lines.stream().filter(line::equals).count();
        }
    }

    /** How many lines start with {@code prefix} right now. */
    long count(String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }
}
