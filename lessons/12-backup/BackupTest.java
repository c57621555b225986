import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.Cron;
import com.mongodb.bulk.BulkWriteResult;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.schedule.CronExpressions;
import relaylab.store.LessonMongo;
import relaylab.store.LessonRedis;

/**
 * The backup against a real Redis (REDIS_URL, or an embedded redis-server) and the embedded MongoDB in
 * memory. Each test backs up its own stream into its own database, so tests never see each other's data.
 */
class BackupTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    @TempDir
    static Path dir;
    static LessonRedis redis;
    static LessonMongo mongo;
    private String stream;
    private Backup backup;

    @BeforeAll
    static void startStores() {
        redis = LessonRedis.start(null, dir.resolve("redis"));
        mongo = LessonMongo.start(null, null);
    }

    @AfterAll
    static void stopStores() {
        if (mongo != null) {
            mongo.close();
        }
        if (redis != null) {
            redis.close();
        }
        assertThat(LessonRedis.runningServers()).as("redis-server processes this test started that still run").isEmpty();
    }

    @BeforeEach
    void freshStream() {
        int n = COUNTER.incrementAndGet();
        stream = "test-" + ProcessHandle.current().pid() + "-" + n + ":chat:messages";
        backup = new Backup(redis.client(), stream, mongo.database("backup-test-" + n));
    }

    /** Adds n chat messages to the stream (without trimming) and returns their ids in order. */
    static List<String> chat(RedisClient client, String stream, int n) {
        List<String> ids = new ArrayList<>();
        try (AbstractPipeline pipe = client.pipelined()) {
            List<Response<StreamEntryID>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pipe.xadd(stream, XAddParams.xAddParams(), Map.of("user", "ada", "text", "message " + i,
                        "time", "2026-12-01T10:00:00Z", "mark", "m" + i)));
            }
            pipe.sync();
            answers.forEach(a -> ids.add(a.get().toString()));
        }
        return ids;
    }

    private List<String> chat(int n) {
        return chat(redis.client(), stream, n);
    }

    private List<String> backedUpIds() {
        List<String> ids = new ArrayList<>();
        backup.messages.find().forEach(d -> ids.add(d.getString("_id")));
        ids.sort((a, b) -> new StreamEntryID(a).compareTo(new StreamEntryID(b)));
        return ids;
    }

    private static List<String> ids(List<StreamEntry> entries) {
        return entries.stream().map(e -> e.getID().toString()).toList();
    }

    // ---- task 1

    private static final ZonedDateTime AT_10_02_30 = ZonedDateTime.of(2026, 12, 1, 10, 2, 30, 0, ZoneOffset.UTC);

    @Test
    @Tag("task:1")
    @DisplayName("the next run of */5 * * * * after 10:02:30 is 10:05:00, and the one after that 10:10:00")
    void nextRunFiveFields() {
        Cron every5 = CronExpressions.parse("*/5 * * * *");
        assertThat(Schedule.nextRun(every5, AT_10_02_30)).as("next run after 10:02:30").isEqualTo(AT_10_02_30.withMinute(5).withSecond(0));
        assertThat(Schedule.nextRun(every5, AT_10_02_30.withMinute(5).withSecond(0)))
                .as("next run after 10:05:00 exactly (strictly after it)").isEqualTo(AT_10_02_30.withMinute(10).withSecond(0));
        assertThat(Schedule.nextRun(CronExpressions.parse("*/10 * * * * *"), AT_10_02_30.plusSeconds(3)))
                .as("next run of the 6-field */10 * * * * * after 10:02:33").isEqualTo(AT_10_02_30.withSecond(40));
    }

    @Test
    @Tag("task:1")
    @DisplayName("the schedule fires at each whole second of * * * * * *, in order, each second once")
    void scheduleTicks() throws InterruptedException {
        BlockingQueue<ZonedDateTime> ticks = new LinkedBlockingQueue<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ZonedDateTime from = ZonedDateTime.now(ZoneOffset.UTC);
        try {
            Schedule.start(CronExpressions.parse("* * * * * *"), from, timer, ticks::add);
            List<ZonedDateTime> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ZonedDateTime tick = ticks.poll(5, TimeUnit.SECONDS);
                assertThat(tick).as("tick %d of a schedule that runs every second (waited 5 s)", i + 1).isNotNull();
                seen.add(tick);
            }
            assertThat(seen.get(0)).as("the first tick").isAfter(from).isEqualTo(from.withNano(0).plusSeconds(1));
            assertThat(seen.get(1)).as("the second tick").isEqualTo(seen.get(0).plusSeconds(1));
            assertThat(seen.get(2)).as("the third tick").isEqualTo(seen.get(1).plusSeconds(1));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    @Tag("task:1")
    @DisplayName("a bad --cron stops the lesson with exit status 2 before anything starts")
    void badCronExits2() {
        assertThat(BackupCommand.run(new String[] {"--cron", "*/5 * * * 9"})).as("exit status for --cron \"*/5 * * * 9\"").isEqualTo(2);
        assertThatThrownBy(() -> CronExpressions.parse("*/5 * * * 9")).hasMessageContaining("day-of-week field \"9\"");
    }

    // ---- task 2

    @Test
    @Tag("task:2")
    @DisplayName("readAfter reads at most 500 entries, in order, strictly after the id given")
    void readsInBatchesAfterTheCheckpoint() {
        List<String> all = chat(1_200);
        assertThat(ids(backup.readAfter("0-0"))).as("readAfter(\"0-0\") on 1,200 messages").isEqualTo(all.subList(0, 500));
        assertThat(ids(backup.readAfter(all.get(499)))).as("readAfter(id of message 500)").isEqualTo(all.subList(500, 1_000));
        assertThat(ids(backup.readAfter(all.get(999)))).as("readAfter(id of message 1,000)").isEqualTo(all.subList(1_000, 1_200));
        assertThat(backup.readAfter(all.get(1_199))).as("readAfter(the last id)").isEmpty();
        assertThat(backup.readAfter("0-0").get(0).getFields()).as("fields of the first entry read").containsEntry("text", "message 0");
    }

    // ---- task 3

    @Test
    @Tag("task:3")
    @DisplayName("a batch is written as upserts keyed by message id; writing it twice changes nothing")
    void idempotentWrites() {
        List<String> ids = chat(500);
        List<StreamEntry> batch = redis.client().xrange(stream, "-", "+", 500);
        BulkWriteResult first = backup.write(batch);
        assertThat(first.getUpserts()).as("upserts of the first write of 500 messages").hasSize(500);
        assertThat(backedUpIds()).as("_id of the documents in MongoDB").isEqualTo(ids);
        Document doc = backup.messages.find(new Document("_id", ids.get(7))).first();
        assertThat(doc).as("the document of message 7").containsEntry("user", "ada").containsEntry("text", "message 7")
                .containsEntry("time", "2026-12-01T10:00:00Z");
        BulkWriteResult again = backup.write(batch);
        assertThat(again.getUpserts()).as("upserts when the same batch is written again").isEmpty();
        assertThat(again.getMatchedCount()).as("documents matched by the second write").isEqualTo(500);
        assertThat(backup.messages.countDocuments()).as("documents after writing the batch twice").isEqualTo(500);
    }

    // ---- task 4

    @Test
    @Tag("task:4")
    @DisplayName("a run copies everything new, checkpoints the last id, and the next run copies only what came since")
    void runCopiesAndCheckpoints() {
        List<String> ids = chat(1_234);
        Backup.Report report = backup.runOnce(n -> { });
        assertThat(report.copied()).as("messages copied by the first run").isEqualTo(1_234);
        assertThat(report.checkpoint()).as("checkpoint after the first run").isEqualTo(new Backup.Checkpoint(ids.get(1_233), 1_234));
        assertThat(backup.checkpoint()).as("checkpoint saved in MongoDB").isEqualTo(report.checkpoint());
        assertThat(backedUpIds()).as("ids in MongoDB").isEqualTo(ids);
        assertThat(backup.runOnce(n -> { }).copied()).as("copied by a second run with nothing new").isZero();
        List<String> more = chat(10);
        Backup.Report third = backup.runOnce(n -> { });
        assertThat(third.copied()).as("copied after 10 new messages").isEqualTo(10);
        assertThat(third.alreadyThere()).as("already there in that run").isZero();
        assertThat(third.checkpoint().last()).as("checkpoint").isEqualTo(more.get(9));
    }

    @Test
    @Tag("task:4")
    @DisplayName("a write that fails leaves the checkpoint at the last batch written, and the next run goes on from there")
    void checkpointOnlyAfterTheWrite() {
        List<String> ids = chat(1_234);
        AtomicInteger writes = new AtomicInteger();
        Backup failsThirdWrite = new Backup(redis.client(), stream, mongo.database(backup.messages.getNamespace().getDatabaseName())) {
            @Override
            BulkWriteResult write(List<StreamEntry> batch) {
                if (writes.incrementAndGet() == 3) {
                    throw new IllegalStateException("MongoDB went away (simulated)");
                }
                return super.write(batch);
            }
        };
        assertThatThrownBy(() -> failsThirdWrite.runOnce(n -> { })).hasMessageContaining("simulated");
        assertThat(backup.checkpoint()).as("checkpoint after the third write failed: the end of the second batch")
                .isEqualTo(new Backup.Checkpoint(ids.get(999), 1_000));
        Backup.Report next = backup.runOnce(n -> { });
        assertThat(next.copied()).as("copied by the next run").isEqualTo(234);
        assertThat(backedUpIds()).as("ids in MongoDB: every message, once").isEqualTo(ids);
    }

    @Test
    @Tag("task:4")
    @DisplayName("killed between write and checkpoint: the next run writes that batch again, harmlessly (at least once + idempotent)")
    void crashBeforeCheckpoint() {
        List<String> ids = chat(1_234);
        AtomicInteger saves = new AtomicInteger();
        Backup diesBeforeSecondCheckpoint = new Backup(redis.client(), stream,
                mongo.database(backup.messages.getNamespace().getDatabaseName())) {
            @Override
            void saveCheckpoint(Checkpoint at) {
                if (saves.incrementAndGet() == 2) {
                    throw new IllegalStateException("killed after the write (simulated)");
                }
                super.saveCheckpoint(at);
            }
        };
        assertThatThrownBy(() -> diesBeforeSecondCheckpoint.runOnce(n -> { })).hasMessageContaining("simulated");
        assertThat(backup.messages.countDocuments()).as("documents written before the crash: two batches").isEqualTo(1_000);
        assertThat(backup.checkpoint().last()).as("checkpoint: the first batch's last id").isEqualTo(ids.get(499));
        Backup.Report next = backup.runOnce(n -> { });
        assertThat(next.alreadyThere()).as("messages of the second batch found already there").isEqualTo(500);
        assertThat(next.copied()).as("copied by the next run").isEqualTo(234);
        assertThat(backedUpIds()).as("ids in MongoDB: every message, once").isEqualTo(ids);
        assertThat(backup.checkpoint()).as("checkpoint").isEqualTo(new Backup.Checkpoint(ids.get(1_233), 1_234));
    }

    // ---- task 5

    private boolean redisCountsAddedEntries() {
        return Integer.parseInt(redis.version().split("\\.")[0]) >= 7;
    }

    @Test
    @Tag("task:5")
    @DisplayName("messages trimmed before they were copied are reported as a gap, with how many (Redis 7+), once")
    void gapReported() {
        List<String> first = chat(100);
        backup.runOnce(n -> { });
        List<String> later = chat(300);
        redis.client().xtrim(stream, 50, false);
        Optional<Gaps.Gap> gap = Gaps.find(backup);
        assertThat(gap).as("the gap after trimming 250 messages that were never copied").isPresent();
        assertThat(gap.get().after()).as("the gap starts after the checkpoint").isEqualTo(first.get(99));
        assertThat(gap.get().resumesAt()).as("the stream now starts at").isEqualTo(later.get(250));
        if (redisCountsAddedEntries()) {
            assertThat(gap.get().lost()).as("messages lost to trimming (Redis %s counts added entries)", redis.version()).isEqualTo(250);
            assertThat(Gaps.find(backup)).as("the same gap asked about again: already counted").isEmpty();
        } else {
            assertThat(gap.get().lost()).as("messages lost: Redis %s cannot count them, so -1", redis.version()).isEqualTo(-1);
        }
        assertThat(backup.runOnce(n -> { }).copied()).as("copied after the gap: the 50 left").isEqualTo(50);
        assertThat(Gaps.find(backup)).as("gap once the backup caught up").isEmpty();
    }

    @Test
    @Tag("task:5")
    @DisplayName("trimming only what was already copied is no gap; before any trimming, no gap either (Redis 7+)")
    void noFalseGap() {
        chat(100);
        if (redisCountsAddedEntries()) {
            assertThat(Gaps.find(backup)).as("gap before any trimming (Redis %s counts added entries)", redis.version()).isEmpty();
        } else {
            assertThat(Gaps.find(backup)).as("gap before the first backup: Redis %s cannot tell, so maybe (-1)", redis.version())
                    .hasValueSatisfying(gap -> assertThat(gap.lost()).isEqualTo(-1));
        }
        backup.runOnce(n -> { });
        chat(20);
        redis.client().xtrim(stream, 50, false);
        assertThat(Gaps.find(backup)).as("gap when only copied messages were trimmed").isEmpty();
        assertThat(backup.runOnce(n -> { }).copied()).as("copied: the 20 new ones").isEqualTo(20);
    }

    // ---- task 6

    @Test
    @Tag("task:6")
    @DisplayName("restore puts the newest 1,000 messages back into an empty stream, with their ids and fields")
    void restore() {
        chat(1_500);
        List<StreamEntry> before = redis.client().xrange(stream, "-", "+");
        backup.runOnce(n -> { });
        redis.client().del(stream);
        assertThat(Restore.restore(backup)).as("messages restored").isEqualTo(1_000);
        List<StreamEntry> after = redis.client().xrange(stream, "-", "+");
        assertThat(ids(after)).as("ids in the restored stream").isEqualTo(ids(before.subList(500, 1_500)));
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).getFields()).as("fields of restored entry %d", i).isEqualTo(before.get(500 + i).getFields());
        }
    }

    @Test
    @Tag("task:6")
    @DisplayName("restore orders ids as numbers (9-0 before 10-0), and refuses a stream that is not empty")
    void restoreOrderAndRefusal() {
        for (String id : List.of("9-1", "10-1", "100-1")) {
            redis.client().xadd(stream, XAddParams.xAddParams().id(id), Map.of("user", "ada", "text", "at " + id));
        }
        backup.runOnce(n -> { });
        assertThatThrownBy(() -> Restore.restore(backup)).as("restore into a stream that holds 3 messages")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already holds 3");
        redis.client().del(stream);
        assertThat(Restore.restore(backup)).as("messages restored").isEqualTo(3);
        assertThat(ids(redis.client().xrange(stream, "-", "+"))).as("restored ids").containsExactly("9-1", "10-1", "100-1");
    }
}
