package relaylab.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;
import relaylab.store.LessonRedis;

/**
 * A JUnit extension giving a test class one Redis ({@link LessonRedis#start}: REDIS_URL when set, else an
 * embedded server with its data in a temporary folder) and each test its own key prefix, whose keys are deleted
 * after the test. After the class, the Redis is closed and the extension fails when a redis-server process
 * started by this JVM still runs.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestRedis redis = new TestRedis();
 *
 * @Test
 * void stores() {
 *     ChatStore store = new ChatStore(redis.client(), redis.prefix(), 1000);
 * }
 * }</pre>
 */
public final class TestRedis implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private Path data;
    private LessonRedis redis;
    private String prefix;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("relaylab-test-redis-");
        redis = LessonRedis.start(null, data);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefix = "test-" + UUID.randomUUID() + ":";
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (redis != null && prefix != null) {
            redis.deleteKeys(prefix);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (redis != null) {
                redis.close();
            }
        } finally {
            deleteFolder(data);
        }
        List<ProcessHandle> left = LessonRedis.runningServers();
        if (!left.isEmpty()) {
            throw new AssertionError("redis-server processes still run after the tests of "
                    + context.getDisplayName() + ": " + left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList()
                    + "; every Redis a test starts must be stopped (close the LessonRedis)");
        }
    }

    /** The class's Redis. */
    public LessonRedis redis() {
        return redis;
    }

    /** The shared client of the class's Redis. */
    public RedisClient client() {
        return redis.client();
    }

    /** This test's key prefix, {@code test-<uuid>:}; every key the test writes should start with it. */
    public String prefix() {
        return prefix;
    }

    /** A temporary folder that lives until the class's tests are done (e.g. for a second, embedded Redis's data). */
    public Path folder(String name) {
        return data.resolve(name);
    }

    private static void deleteFolder(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test Redis folder " + folder, e);
        }
    }
}
