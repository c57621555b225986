import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import relaylab.workbook.Exercise;

/**
 * One node of lesson 13 as a real process: this same program with {@code --node}, in a child JVM. Used by
 * {@code --nodes} (the demo), {@code --prove} and {@code --measure}, and by the tests that kill a node. Its output
 * is collected (and echoed if asked); the port it listens on is read from its "up on port" line.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern UP = Pattern.compile(": up on port (\\d+)");
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    final String name;
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    /**
     * Starts node {@code name} on {@code port} (0: any free port) against Redis at {@code redisUrl}, its keys and
     * channels under {@code prefix}; {@code quickStart}: a JVM that starts sooner but runs slower (no optimising
     * compiler), for the demo and the proofs, not for measuring; {@code echo} gets each line it prints.
     */
    NodeProcess(String name, int port, String redisUrl, String prefix, boolean quickStart, Consumer<String> echo)
            throws IOException {
        this(name, port, redisUrl, prefix, quickStart, List.of(), echo);
    }

    /** The same with more options for the node, e.g. {@code --alone}. */
    NodeProcess(String name, int port, String redisUrl, String prefix, boolean quickStart, List<String> options,
            Consumer<String> echo) throws IOException {
        this.name = name;
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dsun.misc.unsafe.memory.access=allow"));
        if (quickStart) {
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        }
        command.addAll(List.of("-cp", Exercise.childClassPath(ScaleOut.class), ScaleOut.class.getName(), "--node", name,
                "--node-port", String.valueOf(port), "--redis-url", redisUrl, "--prefix", prefix));
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    echo.accept(line);
                    Matcher m = UP.matcher(line);
                    if (m.find()) {
                        this.port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                output.add("(reading " + name + "'s output failed: " + e + ")");
            }
            this.port.completeExceptionally(new IllegalStateException(name + " stopped before it served; it printed:\n"
                    + String.join("\n", output)));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until the node printed the port it listens on; a clear error with its output when it does not. */
    int awaitPort(Duration wait) throws InterruptedException {
        try {
            return port.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not start within " + wait.toSeconds() + " s; it printed:\n"
                    + String.join("\n", output), e);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    /** kill -9: no shutdown hook, no goodbye to Redis or to its clients; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs " + STOP_WAIT.toSeconds()
                    + " s after SIGKILL");
        }
    }

    /** Stops the node like Ctrl-C (SIGTERM), then SIGKILL if it has not ended within 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Stops the node from a shutdown hook, saying so instead of throwing when that is interrupted. */
    void stopQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            System.out.println(name + " (pid " + process.pid() + ") was not waited for: " + e);
            Thread.currentThread().interrupt();
        }
    }
}
