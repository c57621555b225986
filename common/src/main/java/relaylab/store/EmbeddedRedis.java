package relaylab.store;

import relaylab.store.LessonRedis.RedisUnavailableException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The redis-server that {@link LessonRedis} starts when the learner has no Redis of their own: a child process on
 * 127.0.0.1 and a free port, its data in a folder (a pid file and a URL file beside it, so that the next run can
 * attach to it or stop a leftover), its binary copied to a temporary folder; stopped with SIGTERM, then SIGKILL.
 */
final class EmbeddedRedis {
    /** How long stopping waits at most for the server's process to end after it was told to stop. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    private static final String PID_FILE = "redis.pid";
    private static final String URL_FILE = "redis.url";
    private final Path binaryDir;
    private final Path dataDir;
    private final int port;
    private final Deque<String> output = new ArrayDeque<>();
    /** The real paths of the binaries started (the process shows the real path: Debian's is a symbolic link). */
    static final Set<String> BINARIES = ConcurrentHashMap.newKeySet();
    private String realBinary;
    private RedisServer server;
    private ProcessHandle process;

    private EmbeddedRedis(Path binaryDir, Path dataDir, int port) {
        this.binaryDir = binaryDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    static EmbeddedRedis start(String binaryOrNull, Path dataDir) {
        Path binaryDir;
        try {
            Files.createDirectories(dataDir);
            binaryDir = Files.createTempDirectory("relaylab-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Redis data folder " + dataDir.toAbsolutePath(), e);
        }
        File binary = binary(binaryOrNull, binaryDir);
        stopLeftover(dataDir);
        RedisUnavailableException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            EmbeddedRedis embedded = new EmbeddedRedis(binaryDir, dataDir.toAbsolutePath(), freePort());
            try {
                embedded.launch(binary);
                Files.writeString(dataDir.resolve(URL_FILE), embedded.url());
                return embedded;
            } catch (IOException e) {
                embedded.close();
                throw new UncheckedIOException("cannot write " + dataDir.resolve(URL_FILE), e);
            } catch (RedisUnavailableException e) {
                last = e;
                if (!String.join("\n", embedded.output).contains("Address already in use")) {
                    break;   // only a port taken between choosing and binding is worth another try
                }
            }
        }
        deleteQuietly(binaryDir);
        throw last;
    }

    private static File binary(String binaryOrNull, Path binaryDir) {
        if (binaryOrNull != null && !binaryOrNull.isBlank()) {
            File given = new File(binaryOrNull.strip());
            if (!given.canExecute()) {
                deleteQuietly(binaryDir);
                throw new RedisUnavailableException(LessonRedis.SERVER_VARIABLE + "=" + binaryOrNull + " is not an executable"
                        + " redis-server: point it at one (e.g. /usr/bin/redis-server) or unset it.");
            }
            return given;
        }
        try {
            return ExecutableProvider.newJarResourceProvider(binaryDir.toFile()).get();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(binaryDir);
            throw new RedisUnavailableException("The embedded Redis has no binary for this platform ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + LessonRedis.INSTALL + ".");
        }
    }

    private void launch(File binary) {
        try {
            realBinary = binary.toPath().toRealPath().toString();
        } catch (IOException e) {
            realBinary = binary.getAbsolutePath();
        }
        BINARIES.add(realBinary);
        Consumer<String> keep = line -> {
            synchronized (output) {
                output.addLast(line);
                if (output.size() > 20) {
                    output.removeFirst();
                }
            }
        };
        try {
            server = RedisServer.newRedisServer()
                    .executableProvider(() -> binary)
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir \"" + dataDir + "\"")
                    .setting("pidfile \"" + dataDir.resolve(PID_FILE) + "\"")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save 60 1")
                    .soutListener(keep)
                    .serrListener(keep)
                    .build();
            startProcess();
        } catch (IOException e) {
            String said;
            synchronized (output) {
                said = String.join(" | ", output);
            }
            throw new RedisUnavailableException("The embedded Redis (" + binary.getName() + ") did not start"
                    + (said.isBlank() ? "" : " (it said: " + said.strip() + ")") + ": " + LessonRedis.INSTALL + ".");
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    Optional<ProcessHandle> process() {
        return process != null && process.isAlive() ? Optional.of(process) : Optional.empty();
    }

    /** Starts the server and remembers its process: the redis-server child of this JVM that was not there before. */
    private void startProcess() throws IOException {
        Set<ProcessHandle> before = servers();
        server.start();
        Set<ProcessHandle> started = servers();
        started.removeAll(before);
        process = started.size() == 1 ? started.iterator().next() : null;
    }

    private Set<ProcessHandle> servers() {
        try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
            return children.filter(p -> p.info().command().map(realBinary::equals).orElse(false))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /**
     * SIGTERM (Redis saves and exits), and SIGKILL when it is still there after STOP_WAIT: Redis refuses to exit
     * when its final save fails (e.g. its folder was deleted), and a server that never ends must not hang us.
     */
    synchronized void stop() {
        process().ifPresent(p -> {
            p.destroy();
            if (!awaitExit(p)) {
                p.destroyForcibly();
                if (!awaitExit(p)) {
                    throw new IllegalStateException("the embedded Redis (pid " + p.pid() + ") did not end, even after SIGKILL");
                }
            }
        });
        try {
            server.stop();   // the process has ended: this only marks the server as stopped
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded Redis on port " + port, e);
        }
    }

    private static boolean awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the embedded Redis to end failed", e);
        }
    }

    /**
     * The URL of a redis-server running on this data folder for a Java program that is still alive (its pid file
     * names it, its parent is a running JVM: a lesson), or empty.
     */
    static Optional<String> runningOn(Path dataDir) {
        try {
            Path pidFile = dataDir.resolve(PID_FILE);
            Path urlFile = dataDir.resolve(URL_FILE);
            if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(urlFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            boolean owned = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("redis")).orElse(false))
                    .flatMap(ProcessHandle::parent).filter(ProcessHandle::isAlive)
                    .filter(parent -> parent.info().command().map(c -> c.contains("java")).orElse(false)).isPresent();
            return owned ? Optional.of(Files.readString(urlFile).strip()) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();   // unreadable files: no live server to attach to; start() then handles the folder
        }
    }

    /**
     * A redis-server still running on this data folder (its pid file names it) was left by a run that was killed
     * before it could stop it: stop it now, or two servers would write the same files.
     */
    private static void stopLeftover(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> old = ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.contains("redis")).orElse(false));
            if (old.isPresent()) {
                System.err.println("Stopping a redis-server (pid " + pid + ") left running on " + dataDir
                        + " by an earlier run that was killed.");
                old.get().destroy();
                if (!awaitExit(old.get())) {
                    old.get().destroyForcibly();
                    awaitExit(old.get());
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            System.err.println("Could not read the Redis pid file " + pidFile + " (" + e.getMessage() + "); starting anyway.");
        }
    }

    synchronized void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new RedisUnavailableException("The embedded Redis did not start again on port " + port + " ("
                    + e.getMessage() + "); stop whatever took the port and try again.");
        }
    }

    synchronized void close() {
        try {
            if (server != null) {
                stop();
            }
            Files.deleteIfExists(dataDir.resolve(URL_FILE));
        } catch (IOException e) {
            System.err.println("could not delete " + dataDir.resolve(URL_FILE) + ": " + e.getMessage());
        } finally {
            deleteQuietly(binaryDir);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1 for the embedded Redis", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete the temporary Redis folder " + dir + ": " + e.getMessage());
        }
    }
}
