package relaylab.realtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Node packages of the socket.io interop tests ({@code common/src/test/node}: the official socket.io server and
 * client at the exact versions of its package-lock.json), for those tests and for {@code ./jbang bench --compare
 * socketio}: whether node and npm run here, and {@code npm ci} when node_modules does not hold what the lock asks for.
 */
public final class NodePackages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodePackages() {
    }

    /**
     * Empty when every tool ({@code node}, {@code npm}) answers {@code --version}; else one sentence saying which does
     * not and what to install, ending with "to run " + {@code purpose}.
     */
    public static String missingTool(String purpose, String... tools) {
        for (String tool : tools) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return "`" + tool + " --version` failed; install Node.js 18+ and npm to run " + purpose;
                }
            } catch (IOException e) {
                return tool + " is not installed (" + e.getMessage() + "); install Node.js 18+ and npm to run " + purpose;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while looking for " + tool;
            }
        }
        return "";
    }

    /**
     * Runs {@code npm ci} in {@code dir} (exact versions from its committed package-lock.json) unless node_modules
     * already holds what the lock file asks for.
     *
     * @throws IllegalStateException when npm fails or takes longer than {@code timeout}, with npm's output
     */
    public static void install(String npm, Path dir, Duration timeout) {
        try {
            if (upToDate(dir.resolve("package-lock.json"), dir.resolve("node_modules/.package-lock.json"))) {
                return;
            }
            Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " took longer than " + timeout);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + p.exitValue() + "):\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the Node packages in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during npm ci in " + dir, e);
        }
    }

    // npm writes node_modules/.package-lock.json after an install; same packages and versions means up to date.
    private static boolean upToDate(Path lock, Path installedLock) throws IOException {
        if (!Files.exists(installedLock)) {
            return false;
        }
        JsonNode wanted = JSON.readTree(lock.toFile()).path("packages");
        JsonNode have = JSON.readTree(installedLock.toFile()).path("packages");
        var names = wanted.fieldNames();
        while (names.hasNext()) {
            String pkg = names.next();
            if (pkg.isEmpty()) {
                continue;
            }
            if (!wanted.path(pkg).path("version").asText().equals(have.path(pkg).path("version").asText("?"))) {
                return false;
            }
        }
        return true;
    }
}
