package relaylab.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis a lesson talks to: the learner's own (a URL, or the {@code REDIS_URL} environment variable), or
 * else a real {@code redis-server} that this class starts on a free loopback port, with its data (RDB and
 * AOF files) in a folder so that the next start finds the same keys. Lessons 11 to 13 and their tests call
 * {@link #start}, use {@link #client()}, and close it when they stop; closing stops the server it started.
 *
 * <p>The embedded server is the binary shipped in {@code com.github.codemonstur:embedded-redis} (6.2 on
 * Linux and macOS), or the one named by the environment variable {@code RELAYLAB_REDIS_SERVER} (CI uses it to
 * run the same tests on Debian's 7.x). Redis 6.2 or newer is required (exclusive stream ranges).
 */
public final class LessonRedis implements AutoCloseable {
    /** The environment variable naming the learner's own Redis, e.g. {@code redis://localhost:6379}. */
    public static final String URL_VARIABLE = "REDIS_URL";
    /** The environment variable naming a redis-server binary to start instead of the one in the jar. */
    public static final String SERVER_VARIABLE = "RELAYLAB_REDIS_SERVER";

    static final String INSTALL = "install Redis 6.2 or newer (Debian/Ubuntu: apt-get install redis-server;"
            + " macOS: brew install redis), start it and set " + URL_VARIABLE + "=redis://localhost:6379"
            + " (or pass --redis-url)";

    private final String url;
    private final RedisClient client;
    private final EmbeddedRedis embedded;
    private boolean attached;

    private LessonRedis(String url, EmbeddedRedis embedded) {
        this.url = url;
        this.embedded = embedded;
        this.client = RedisClient.create(URI.create(url));
    }

    /**
     * Starts a lesson's Redis: {@code redisUrlOrNull} when given, else {@code REDIS_URL} when set, else an
     * embedded redis-server keeping its data in {@code dataDir} (created when missing).
     *
     * @throws RedisUnavailableException with one sentence saying what failed and what to do
     */
    public static LessonRedis start(String redisUrlOrNull, Path dataDir) {
        return start(redisUrlOrNull, System.getenv(), dataDir);
    }

    /** {@link #start(String, Path)} with the environment given, so tests can set REDIS_URL. */
    static LessonRedis start(String redisUrlOrNull, Map<String, String> env, Path dataDir) {
        String url = redisUrlOrNull != null && !redisUrlOrNull.isBlank() ? redisUrlOrNull.strip() : env.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return connect(url.strip());
        }
        return startEmbedded(env.get(SERVER_VARIABLE), dataDir);
    }

    /**
     * Always starts an embedded redis-server, whatever REDIS_URL says: for tests that stop and start the
     * server ({@link #stopServer()}), which they cannot do to someone else's Redis.
     */
    public static LessonRedis startEmbedded(Path dataDir) {
        return startEmbedded(System.getenv(SERVER_VARIABLE), dataDir);
    }

    private static LessonRedis startEmbedded(String binaryOrNull, Path dataDir) {
        Optional<String> running = EmbeddedRedis.runningOn(dataDir);
        if (running.isPresent()) {   // e.g. --inspect while the lesson runs: use the live server, leave it running
            LessonRedis attached = connect(running.get());
            attached.attached = true;
            return attached;
        }
        EmbeddedRedis server = EmbeddedRedis.start(binaryOrNull, dataDir);
        LessonRedis redis = null;
        try {
            redis = new LessonRedis(server.url(), server);
            redis.checkVersion();
            return redis;
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            } else {
                server.close();
            }
            throw e;
        }
    }

    private static LessonRedis connect(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RedisUnavailableException("\"" + url + "\" is not a Redis URL (" + e.getReason()
                    + "); write it as redis://host:port, e.g. redis://localhost:6379.");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new RedisUnavailableException("\"" + url + "\" is not a Redis URL; write it as redis://host:port,"
                    + " e.g. redis://localhost:6379.");
        }
        LessonRedis redis = new LessonRedis(url, null);
        try {
            redis.checkVersion();
            return redis;
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    private void checkVersion() {
        String version;
        try {
            version = version();
        } catch (JedisException e) {
            throw new RedisUnavailableException("Cannot reach Redis at " + url + " (" + rootMessage(e) + "): start it,"
                    + " fix the URL, or unset " + URL_VARIABLE + " to let the lesson start its own Redis.");
        }
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        if (major < 6 || major == 6 && minor < 2) {
            throw new RedisUnavailableException("The Redis at " + url + " is version " + version
                    + ", too old for these lessons (they need 6.2 or newer for exclusive stream ranges): " + INSTALL + ".");
        }
    }

    /** The address of this Redis, {@code redis://host:port}: print it so the learner can use {@code redis-cli -u}. */
    public String url() {
        return url;
    }

    /**
     * The shared client (a connection pool; safe to use from many threads). Its methods are named after the
     * Redis commands: {@code client().xadd(...)}, {@code client().set(...)}. Do not close it: {@link #close()} does.
     */
    public RedisClient client() {
        return client;
    }

    /** A second, separate client (its own pool), e.g. for a second chat server; the caller closes it. */
    public RedisClient newClient() {
        return RedisClient.create(URI.create(url));
    }

    /**
     * Deletes every key starting with {@code prefix} and returns how many: a test's clean-up, a lesson's --fresh on
     * the learner's own Redis. Walks the keys with SCAN (never KEYS, which blocks the server, nor FLUSHALL: the Redis
     * may hold other data).
     */
    public long deleteKeys(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("deleteKeys needs a non-empty prefix; it never deletes everything");
        }
        long deleted = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, new ScanParams().match(prefix + "*").count(500));
            if (!page.getResult().isEmpty()) {
                deleted += client.del(page.getResult().toArray(new String[0]));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return deleted;
    }

    /** The server's version, from {@code INFO server}, e.g. "6.2.6". */
    public String version() {
        for (String line : client.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).strip();
            }
        }
        throw new IllegalStateException("the Redis at " + url + " did not say its version in INFO server");
    }

    /** True when this class started the server (no URL was given); false when it uses the learner's Redis. */
    public boolean embedded() {
        return embedded != null;
    }

    /**
     * True when an embedded start found the data folder in use by a redis-server that another running program
     * started (say, the lesson, while {@code --inspect} runs): this is a connection to it, and close() leaves it running.
     */
    public boolean attached() {
        return attached;
    }

    /** The embedded server's process while it runs; empty for the learner's own Redis or a stopped server. */
    public Optional<ProcessHandle> serverProcess() {
        return embedded == null ? Optional.empty() : embedded.process();
    }

    /**
     * Stops the embedded server (like a crash of Redis, but with its data saved), for tests and demos of an
     * outage; {@link #startServer()} brings it back on the same port with the same data.
     *
     * @throws IllegalStateException when this is the learner's own Redis
     */
    public void stopServer() {
        requireEmbedded("stop").stop();
    }

    /** Starts the embedded server again after {@link #stopServer()}: same port, same data folder. */
    public void startServer() {
        requireEmbedded("start").restart();
        client.getPool().clear();   // idle connections to the stopped process are dead: open new ones
    }

    private EmbeddedRedis requireEmbedded(String what) {
        if (embedded == null) {
            throw new IllegalStateException("cannot " + what + " the Redis at " + url
                    + ": only a Redis this class started itself can be stopped and started (use startEmbedded)");
        }
        return embedded;
    }

    /**
     * The redis-server processes started by this JVM (its descendants) that still run: a test calls it to
     * prove that every server it started was stopped.
     */
    public static List<ProcessHandle> runningServers() {
        try (Stream<ProcessHandle> all = ProcessHandle.current().descendants()) {
            return all.filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> EmbeddedRedis.BINARIES.contains(c)
                            || Path.of(c).getFileName().toString().startsWith("redis-server")).orElse(false))
                    .toList();
        }
    }

    /** Closes the client and, when this class started the server, stops it and waits until its process is gone. */
    @Override
    public void close() {
        try {
            client.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** One sentence saying why no Redis could be used, and what to do; lessons print it instead of a stack trace. */
    public static final class RedisUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RedisUnavailableException(String message) {
            super(message);
        }
    }
}
