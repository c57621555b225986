import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import relaylab.store.LessonMongo;
import relaylab.store.LessonRedis;

/**
 * kill -9 in the middle of a backup, 20 times: the backup runs as a separate process (Child below), which
 * the test kills with SIGKILL at random points (seeded, so a failure can be replayed) and starts again. At
 * the end MongoDB holds every message exactly once and the checkpoint is the stream's last id. Redis and
 * MongoDB live in this test's process, so they survive the kills.
 */
class BackupKillTest {
    private static final int MESSAGES = 20_000;
    private static final int KILLS = 20;
    private static final long SEED = 12;
    /** All the waiting of the test; it stays inside its @Timeout, so a failure still stops the servers it started. */
    private static final Duration TEST_WAIT = Duration.ofSeconds(150);
    @TempDir
    Path dir;
    /** Where the backup process started last writes its output. */
    private Path lastLog;

    /** The backup process: one run of Backup.runOnce against the Redis and MongoDB given, then exit 0. */
    public static final class Child {
        public static void main(String[] args) {
            try (LessonRedis redis = LessonRedis.start(args[0], null); LessonMongo mongo = LessonMongo.start(args[1], null)) {
                new Backup(redis.client(), args[3], mongo.database(args[2])).runOnce(n -> { });
            }
        }
    }

    @Test
    @Tag("task:4")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @DisplayName("killed with SIGKILL at 20 random points over 20,000 messages and restarted: every message in MongoDB exactly once")
    void killNineTwentyTimes() throws Exception {
        try (LessonRedis redis = LessonRedis.start(null, dir.resolve("redis")); LessonMongo mongo = LessonMongo.start(null, null)) {
            String stream = "kill-test-" + ProcessHandle.current().pid() + ":chat:messages";
            redis.client().del(stream);
            List<String> ids = BackupTest.chat(redis.client(), stream, MESSAGES);
            Backup backup = new Backup(redis.client(), stream, mongo.database("kill-test"));
            MongoCollection<Document> messages = backup.messages;
            long started = System.nanoTime();
            long deadline = started + TEST_WAIT.toNanos();
            Random random = new Random(SEED);
            long[] points = random.longs(KILLS, 1, MESSAGES).sorted().toArray();
            int killedMidRun = 0;
            for (long point : points) {
                Process child = start(redis.url(), mongo.uri(), stream);
                while (child.isAlive() && messages.estimatedDocumentCount() < point) {
                    if (System.nanoTime() - deadline > 0) {
                        child.destroyForcibly();
                        throw new AssertionError("the backup processes did not reach " + point + " messages within " + TEST_WAIT
                                + "; the last one printed:\n" + output(child));
                    }
                    Thread.sleep(2);
                }
                if (child.isAlive()) {
                    long copied = messages.estimatedDocumentCount();
                    child.destroyForcibly();   // SIGKILL on Linux and macOS: no shutdown hook, no finally
                    assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the killed process ended").isTrue();
                    if (copied < MESSAGES) {
                        killedMidRun++;
                    }
                } else {
                    assertThat(child.exitValue()).as("exit status of the backup process; it printed:%n%s", output(child)).isZero();
                }
            }
            System.out.printf("kill -9: %d kills at seeded points (seed %d), %d of them mid-run, then one run to the end: %.1f s%n",
                    KILLS, SEED, killedMidRun, (System.nanoTime() - started) / 1e9);
            Process last = start(redis.url(), mongo.uri(), stream);
            boolean finished = last.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (!finished) {
                last.destroyForcibly();
            }
            assertThat(finished).as("the final backup process finished within %s in all", TEST_WAIT).isTrue();
            assertThat(last.exitValue()).as("exit status of the final backup process; it printed:%n%s", output(last)).isZero();

            assertThat(killedMidRun).as("kills that hit a backup in the middle of its work (of %d)", KILLS).isGreaterThanOrEqualTo(KILLS / 2);
            assertThat(messages.countDocuments()).as("documents in MongoDB").isEqualTo(MESSAGES);
            List<String> backedUp = new ArrayList<>();
            messages.find().forEach(d -> backedUp.add(d.getString("_id")));
            backedUp.sort((a, b) -> new StreamEntryID(a).compareTo(new StreamEntryID(b)));
            assertThat(backedUp).as("ids in MongoDB, in id order").isEqualTo(ids);
            assertThat(backup.checkpoint()).as("the checkpoint").isEqualTo(new Backup.Checkpoint(ids.get(MESSAGES - 1), MESSAGES));
        }
    }

    private Process start(String redisUrl, String mongoUri, String stream) throws IOException, java.net.URISyntaxException {
        String classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        lastLog = Files.createTempFile(dir, "child-", ".log");
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                Child.class.getName(), redisUrl, mongoUri, "kill-test", stream)
                .redirectErrorStream(true).redirectOutput(lastLog.toFile()).start();
    }

    private String output(Process child) {
        try {
            String all = Files.readString(lastLog);
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (IOException e) {
            return "(the output of process " + child.pid() + " could not be read: " + e.getMessage() + ")";
        }
    }
}
