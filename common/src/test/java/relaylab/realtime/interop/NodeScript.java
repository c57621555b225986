package relaylab.realtime.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import relaylab.realtime.internal.NodePackages;

/**
 * A Node.js script from src/test/node (the official socket.io server or client) run as a child process.
 * It prints one JSON object per line (what happened) and reads one JSON command per line. Tests wait for
 * the lines they expect with a deadline; close() always ends the process.
 */
final class NodeScript implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static volatile boolean installed;
    private static String missingTool;
    /** The commands to run; -Drelaylab.node=... and -Drelaylab.npm=... choose others. */
    static final String NODE = System.getProperty("relaylab.node", "node");
    static final String NPM = System.getProperty("relaylab.npm", "npm");

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private NodeScript(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = new Thread(this::readStdout, name + "-stdout");
        this.stderrReader = new Thread(this::readStderr, name + "-stderr");
        stdoutReader.setDaemon(true);
        stderrReader.setDaemon(true);
        stdoutReader.start();
        stderrReader.start();
    }

    /** The folder with package.json, package-lock.json and the scripts. */
    static Path folder() {
        String root = System.getProperty("relaylab.root");
        Path base = root != null ? Path.of(root, "common") : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(base.resolve("src/test/node")) && Files.isDirectory(base.resolve("common"))) {
            base = base.resolve("common");
        }
        return base.resolve("src/test/node");
    }

    /** Skips the calling test, with the reason, when node or npm cannot run here; installs the packages once. */
    static void assumeNodeAndPackages() {
        String missing = missingToolOnce();
        Assumptions.assumeTrue(missing.isEmpty(), missing);
        installOnce();
    }

    private static synchronized String missingToolOnce() {
        if (missingTool == null) {
            String missing = NodePackages.missingTool("the socket.io interop tests", NODE, NPM);
            missingTool = missing.isEmpty() ? "" : "Interop test skipped: " + missing;
        }
        return missingTool;
    }

    /** Installs the packages of package-lock.json once per test JVM (see {@link NodePackages#install}). */
    private static synchronized void installOnce() {
        if (!installed) {
            NodePackages.install(NPM, folder(), INSTALL_TIMEOUT);
            installed = true;
        }
    }

    /** Starts `node <script> <args>` in the node folder. */
    static NodeScript start(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(NODE, script));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(folder().toFile()).start();
            return new NodeScript(script, p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Sends one command (a JSON object) to the script. */
    void send(Object command) {
        try {
            synchronized (stdin) {
                stdin.write(JSON.writeValueAsBytes(command));
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not send a command to " + name + "; it said:\n" + stderr(), e);
        }
    }

    /**
     * Waits for the next line not yet taken that matches, takes it and returns it.
     *
     * @throws AssertionError at the deadline, listing what the script printed
     */
    JsonNode await(String what, Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (int i = 0; i < lines.size(); i++) {
                    if (!taken.get(i) && matches.test(lines.get(i))) {
                        taken.set(i, true);
                        return lines.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what + " from " + name
                            + " but it did not come.\nIt printed:\n  " + joinLines() + "\nOn stderr:\n  " + stderr()
                            + (process.isAlive() ? "" : "\n(the process ended with exit code " + process.exitValue() + ")"));
                }
                try {
                    lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    /** Waits for a line whose "type" is {@code type} and whose fields equal the given pairs (name, value, ...). */
    JsonNode await(String type, Duration timeout, String... fieldValues) {
        StringBuilder what = new StringBuilder("{type: " + type);
        for (int i = 0; i + 1 < fieldValues.length; i += 2) {
            what.append(", ").append(fieldValues[i]).append(": ").append(fieldValues[i + 1]);
        }
        what.append('}');
        return await(what.toString(), line -> {
            if (!type.equals(line.path("type").asText())) {
                return false;
            }
            for (int i = 0; i + 1 < fieldValues.length; i += 2) {
                if (!fieldValues[i + 1].equals(line.path(fieldValues[i]).asText())) {
                    return false;
                }
            }
            return true;
        }, timeout);
    }

    /** Every line printed so far whose type is {@code type} (taken or not). */
    List<JsonNode> seen(String type) {
        synchronized (lines) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode line : lines) {
                if (type.equals(line.path("type").asText())) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private String joinLines() {
        List<String> out = new ArrayList<>();
        for (JsonNode line : lines) {
            out.add(line.toString());
        }
        return String.join("\n  ", out);
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    node = JSON.createObjectNode().put("type", "text").put("text", line);
                }
                synchronized (lines) {
                    lines.add(node);
                    taken.add(false);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            appendStderr("(reading stdout failed: " + e + ")\n");
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.contains("Unknown user config")) { // npm configuration noise of some machines
                    appendStderr(line + "\n");
                }
            }
        } catch (IOException e) {
            appendStderr("(reading stderr failed: " + e + ")\n");
        }
    }

    private void appendStderr(String s) {
        synchronized (stderr) {
            stderr.append(s);
        }
    }

    /**
     * Stops ({@code kill -STOP}) or continues ({@code kill -CONT}) the script's process: a stopped server keeps its
     * connections open but answers nothing, like a hung one. Skips the calling test where {@code kill} cannot run.
     */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
                    "`kill -" + signal + "` failed here (" + out.trim() + "); this test needs a POSIX kill command");
        } catch (IOException e) {
            Assumptions.abort("`kill` cannot run here (" + e.getMessage() + "); this test needs a POSIX kill command");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending " + signal + " to " + name, e);
        }
    }

    /** Ends the script: closes its stdin (it exits on its own), then kills it if it does not within 5 s. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            appendStderr("(closing stdin failed: " + e + ")\n");
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
