import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.schedule.CronExpressions;
import relaylab.schedule.SingleRun;
import relaylab.store.LessonMongo;
import relaylab.store.LessonRedis;

/**
 * MongoDB or Redis goes down in the middle of a run: that run fails with one line, the next run (the
 * next tick) copies the rest, and nothing is skipped. Both servers are embedded here, because only a
 * server the test started can be stopped; both keep their data in files, so it survives the outage.
 * The timeout is above every wait inside a test, so a failing test still stops the servers it started.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackupOutageTest {
    private static final String STREAM = "chat:messages";
    /** Each wait of the schedule test; both together stay well inside its @Timeout, so a failure still closes the servers. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    private static List<String> backedUpIds(Backup backup) {
        List<String> ids = new ArrayList<>();
        backup.messages.find().forEach(d -> ids.add(d.getString("_id")));
        ids.sort((a, b) -> new StreamEntryID(a).compareTo(new StreamEntryID(b)));
        return ids;
    }

    @AfterEach
    void noServerLeft() {
        assertThat(LessonRedis.runningServers()).as("redis-server processes this test started that still run").isEmpty();
    }

    @Test
    @Tag("task:4")
    @DisplayName("MongoDB down mid-run: the run fails with one line naming MongoDB, the next run copies the rest, none skipped")
    void mongoDown() {
        try (LessonRedis redis = LessonRedis.startEmbedded(dir.resolve("redis")); LessonMongo mongo = LessonMongo.start(null, dir.resolve("mongo"))) {
            List<String> ids = BackupTest.chat(redis.client(), STREAM, 1_200);
            AtomicInteger writes = new AtomicInteger();
            Backup stopsMongo = new Backup(redis.client(), STREAM, mongo.database("relaylab")) {
                @Override
                BulkWriteResult write(List<StreamEntry> batch) {
                    if (writes.incrementAndGet() == 2) {
                        mongo.stopServer();
                    }
                    return super.write(batch);
                }
            };
            Throwable failure = catchThrowable(() -> stopsMongo.runOnce(n -> { }));
            assertThat(failure).as("what the run threw while MongoDB was down").isInstanceOf(MongoException.class);
            String line = BackupCommand.describe(failure, redis, mongo);
            assertThat(line).as("the failure as printed").doesNotContain("\n").startsWith("MongoDB at " + mongo.uri());
            mongo.startServer();
            Backup backup = new Backup(redis.client(), STREAM, mongo.database("relaylab"));
            assertThat(backup.checkpoint().last()).as("checkpoint kept from before the outage").isEqualTo(ids.get(499));
            assertThat(backup.runOnce(n -> { }).checkpoint().last()).as("checkpoint after the next run").isEqualTo(ids.get(1_199));
            assertThat(backedUpIds(backup)).as("ids in MongoDB: every message, once").isEqualTo(ids);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("Redis down mid-run: the run fails with one line naming Redis, the next run copies the rest, none skipped")
    void redisDown() {
        try (LessonRedis server = LessonRedis.startEmbedded(dir.resolve("redis")); LessonMongo mongo = LessonMongo.start(null, null)) {
            List<String> ids = BackupTest.chat(server.client(), STREAM, 1_200);
            AtomicInteger writes = new AtomicInteger();
            Backup stopsRedis = new Backup(server.client(), STREAM, mongo.database("relaylab")) {
                @Override
                BulkWriteResult write(List<StreamEntry> batch) {
                    BulkWriteResult written = super.write(batch);
                    if (writes.incrementAndGet() == 1) {
                        server.stopServer();
                    }
                    return written;
                }
            };
            Throwable failure = catchThrowable(() -> stopsRedis.runOnce(n -> { }));
            assertThat(failure).as("what the run threw while Redis was down").isInstanceOf(JedisException.class);
            String line = BackupCommand.describe(failure, server, mongo);
            assertThat(line).as("the failure as printed").doesNotContain("\n").startsWith("Redis at " + server.url());
            server.startServer();
            Backup backup = new Backup(server.client(), STREAM, mongo.database("relaylab"));
            assertThat(backup.checkpoint().last()).as("checkpoint kept from before the outage").isEqualTo(ids.get(499));
            backup.runOnce(n -> { });
            assertThat(backedUpIds(backup)).as("ids in MongoDB: every message, once").isEqualTo(ids);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("on a schedule: a tick while MongoDB is down prints one line, the ticks go on, and a later one copies everything")
    void scheduleRetriesAfterOutage() throws Exception {
        try (LessonRedis redis = LessonRedis.startEmbedded(dir.resolve("redis")); LessonMongo mongo = LessonMongo.start(null, dir.resolve("mongo"))) {
            List<String> ids = BackupTest.chat(redis.client(), STREAM, 1_200);
            Backup backup = new Backup(redis.client(), STREAM, mongo.database("relaylab"));
            mongo.stopServer();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try (SingleRun job = new SingleRun("backup", lines::add, e -> BackupCommand.describe(e, redis, mongo))) {
                Schedule.start(CronExpressions.parse("* * * * * *"), ZonedDateTime.now(), timer,
                        time -> job.start(time.toString(), () -> BackupCommand.backupNow(backup, time.toString())));
                String failed = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (failed == null && System.nanoTime() - deadline < 0) {
                    String line = lines.poll(1, TimeUnit.SECONDS);
                    failed = line != null && line.contains("failed") ? line : null;
                }
                assertThat(failed).as("the line of a tick while MongoDB is down (waited %s)", WAIT).isNotNull()
                        .contains("backup failed: MongoDB at " + mongo.uri()).endsWith("; the next tick retries");
                mongo.startServer();
                deadline = System.nanoTime() + WAIT.toNanos();
                while (!backup.checkpoint().last().equals(ids.get(ids.size() - 1)) && System.nanoTime() - deadline < 0) {
                    lines.poll(100, TimeUnit.MILLISECONDS);
                }
                assertThat(backup.checkpoint().last()).as("checkpoint once MongoDB is back (waited %s)", WAIT).isEqualTo(ids.get(ids.size() - 1));
            } finally {
                timer.shutdownNow();
            }
            assertThat(backedUpIds(backup)).as("ids in MongoDB: every message, once").isEqualTo(ids);
        }
    }
}
