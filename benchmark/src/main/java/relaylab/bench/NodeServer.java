package relaylab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import relaylab.realtime.internal.NodePackages;

/**
 * The Node socket.io server of {@code --compare socketio}: {@code benchmark/src/main/node/socketio-server.js} run by
 * node, with the socket.io package the interop tests install ({@code common/src/test/node}, exact versions from its
 * package-lock.json) found through NODE_PATH.
 */
final class NodeServer {
    static final String NODE = System.getProperty("relaylab.node", "node");
    static final String NPM = System.getProperty("relaylab.npm", "npm");
    static final String SCRIPT = "benchmark/src/main/node/socketio-server.js";
    static final String PACKAGES = "common/src/test/node";

    private NodeServer() {
    }

    /** Empty when node and npm run here and the project's files are found; else the reason, one sentence. */
    static String unavailable() {
        if (root() == null) {
            return "the project's folder (with " + SCRIPT + ") was not found above " + Path.of("").toAbsolutePath()
                    + "; run the bench from the project, or pass -Drelaylab.root=<folder>";
        }
        return NodePackages.missingTool("--compare socketio", NODE, NPM);
    }

    /** Installs socket.io with npm ci when node_modules does not hold the pinned versions yet (first use only). */
    static void install() {
        NodePackages.install(NPM, root().resolve(PACKAGES), Duration.ofMinutes(5));
    }

    /** The command that starts the server. */
    static List<String> command() {
        return List.of(NODE, root().resolve(SCRIPT).toString());
    }

    /** Where node finds socket.io. */
    static String nodePath() {
        return root().resolve(PACKAGES).resolve("node_modules").toString();
    }

    /** The project's folder: -Drelaylab.root, else the current folder or the nearest one above it holding the script. */
    static Path root() {
        String given = System.getProperty("relaylab.root");
        if (given != null) {
            Path p = Path.of(given).toAbsolutePath();
            return Files.isRegularFile(p.resolve(SCRIPT)) ? p : null;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT)) && Files.isDirectory(p.resolve(PACKAGES))) {
                return p;
            }
        }
        return null;
    }
}
