import com.cronutils.model.Cron;
import com.mongodb.ConnectionString;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import relaylab.schedule.CronExpressions;
import relaylab.schedule.SingleRun;
import relaylab.store.LessonData;
import relaylab.store.LessonMongo;
import relaylab.store.LessonRedis;
import relaylab.workbook.Exercise;

/**
 * Lesson 12's command line (Backup.main runs it): connects to Redis and MongoDB, then backs up once, on a
 * cron schedule (--cron), restores (--restore) or measures insertOne against bulkWrite (--measure). It
 * prints a progress bar on a long backup and a closing report per run. Nothing to write here.
 */
final class BackupCommand {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private BackupCommand() {
    }

    /** Runs the command line and returns the exit status: 0 done, 1 a run failed, 2 bad options (e.g. a bad --cron). */
    static int run(String[] args) {
        CommandLine line = new CommandLine(new Main());
        line.setParameterExceptionHandler((e, given) -> {
            line.getErr().println(e.getMessage());
            return 2;
        });
        return line.execute(args);
    }

    @Command(name = "lesson12", mixinStandardHelpOptions = true, version = "Relay Lab lesson 12", sortOptions = false,
            description = "Backs up the chat stream of lesson 11 from Redis to MongoDB: once, or on a cron schedule.")
    static final class Main implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--cron", paramLabel = "EXPR", description = "run on this schedule until Ctrl-C: 5 fields (\"*/5 * * * *\")"
                + " or 6 with seconds first (\"*/10 * * * * *\"); without it, back up once and stop")
        String cron;
        @Option(names = "--restore", description = "put the backed-up history back into an empty stream, then stop")
        boolean restore;
        @Option(names = "--demo", paramLabel = "N", defaultValue = "0",
                description = "first add N demo messages to the stream, as lesson 11 does (XADD MAXLEN ~ 1000)")
        int demo;
        @Option(names = "--measure", paramLabel = "N", defaultValue = "0",
                description = "measure backing up N messages: insertOne per message vs bulkWrite batches, then stop")
        int measure;
        @Option(names = "--runs", defaultValue = "3", description = "runs of --measure (the median is printed); default ${DEFAULT-VALUE}")
        int runs;
        @Option(names = "--stream", defaultValue = "chat:messages", description = "the stream to back up; default ${DEFAULT-VALUE}")
        String stream;
        @Option(names = "--redis-url", paramLabel = "URL", description = "your Redis (else REDIS_URL, else an embedded one)")
        String redisUrl;
        @Option(names = "--mongodb-uri", paramLabel = "URI", description = "your MongoDB (else MONGODB_URI, else an embedded one)")
        String mongoUri;
        @Option(names = "--data", paramLabel = "DIR",
                description = "where the embedded servers keep their data (redis/lesson11/: lesson 11's chat, mongo/);"
                        + " default .relaylab/ in the workbook's top folder, where lesson 11 keeps it")
        Path data;

        @Override
        public Integer call() {
            if (demo < 0 || measure < 0 || runs < 1) {
                throw new ParameterException(spec.commandLine(), "--demo and --measure take a count of 0 or more, --runs 1 or more"
                        + " (given: --demo " + demo + " --measure " + measure + " --runs " + runs + ").");
            }
            Cron schedule = null;
            if (cron != null) {
                try {
                    schedule = CronExpressions.parse(cron);
                } catch (CronExpressions.InvalidCronException e) {
                    throw new ParameterException(spec.commandLine(), "--cron: " + e.getMessage() + ".");
                }
            }
            String uri = mongoUri != null ? mongoUri : System.getenv("MONGODB_URI");
            if (uri != null && !uri.isBlank()) {
                try {
                    new ConnectionString(uri);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "the MongoDB URI \"" + uri + "\" is not valid (" + e.getMessage()
                            + "); write it as mongodb://host:27017.");
                }
            }
            AtomicInteger status = new AtomicInteger();
            Cron plan = schedule;
            Exercise.run(Backup.class, () -> {
                if (measure > 0) {
                    try (LessonMongo mongo = LessonMongo.start(uri, null)) {
                        System.out.println("Measuring on the " + mongo.describe() + ".");
                        BackupMeasure.run(mongo.database("relaylab-measure"), measure, runs, System.out);
                    }
                    return;
                }
                CountDownLatch stopping = new CountDownLatch(1);
                CountDownLatch finished = new CountDownLatch(1);
                // Ctrl-C: stop the schedule, and keep the JVM alive until the servers this lesson started are stopped.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stopping.countDown();
                    try {
                        finished.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                Path folder = data != null ? data : LessonData.folder();
                try (LessonRedis redis = LessonRedis.start(redisUrl, LessonData.lesson11Redis(folder));
                     LessonMongo mongo = LessonMongo.start(uri, folder.resolve("mongo"))) {
                    System.out.println("Redis: " + redis.url() + (redis.embedded() ? " (embedded, lesson 11's data in " + LessonData.lesson11Redis(folder) + ")" : ""));
                    System.out.println("MongoDB: " + mongo.describe() + " (mongosh " + mongo.uri() + " connects too)");
                    Backup backup = new Backup(redis.client(), stream, mongo.database("relaylab"));
                    String now = LocalTime.now().format(CLOCK);
                    try {
                        addDemoMessages(backup, demo);
                        if (restore) {
                            long restored = Restore.restore(backup);
                            System.out.printf("Restored %,d messages into %s from MongoDB (%,d backed up).%n", restored, stream,
                                    backup.messages.countDocuments());
                        } else if (plan == null) {
                            System.out.println("Backing up once (with --cron \"*/5 * * * *\" it would run next at "
                                    + Schedule.nextRun(CronExpressions.parse("*/5 * * * *"), ZonedDateTime.now()).format(CLOCK) + ").");
                            backupNow(backup, now);
                        } else {
                            runOnSchedule(backup, plan, redis, mongo, stopping);
                        }
                    } catch (MongoException | JedisException e) {
                        System.out.println(now + ": " + (restore ? "restore" : "backup") + " failed: " + describe(e, redis, mongo)
                                + "; run it again to go on from the checkpoint");
                        status.set(1);
                    } catch (IllegalStateException e) {
                        System.out.println((restore ? "Restore" : "Backup") + " refused: " + e.getMessage());
                        status.set(1);
                    }
                } catch (LessonRedis.RedisUnavailableException e) {
                    System.out.println(e.getMessage());
                    status.set(1);
                } finally {
                    finished.countDown();
                }
            });
            return status.get();
        }

        private void runOnSchedule(Backup backup, Cron plan, LessonRedis redis, LessonMongo mongo, CountDownLatch stopping)
                throws InterruptedException {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try (SingleRun job = new SingleRun("backup", System.out::println, e -> describe(e, redis, mongo))) {
                ZonedDateTime now = ZonedDateTime.now();
                System.out.println("Backing up " + backup.stream + " on \"" + cron + "\"; first run at "
                        + Schedule.nextRun(plan, now).format(CLOCK) + ". Ctrl-C stops.");
                Schedule.start(plan, now, timer, time -> job.start(time.format(CLOCK), () -> backupNow(backup, time.format(CLOCK))));
                stopping.await();
                timer.shutdownNow();
                if (job.running()) {
                    System.out.println("Stopping: letting the backup in progress finish (at most 15 s).");
                }
                job.close(Duration.ofSeconds(15));
                System.out.println("Backup schedule stopped; the next start goes on from checkpoint " + backup.checkpoint().last() + ".");
            } finally {
                timer.shutdownNow();
            }
        }
    }

    /** One backup run: the gap check, the copy (with a progress bar when it is long) and the closing report. */
    static void backupNow(Backup backup, String tick) {
        long started = System.nanoTime();
        // Before the first backup, only a Redis 7 can tell whether messages were trimmed already; Redis 6.2 cannot.
        boolean unknowable = backup.checkpoint().passed() == 0 && !redisSaysTrimmed(backup);
        Optional<Gaps.Gap> gap = unknowable ? Optional.empty() : Gaps.find(backup);
        gap.ifPresent(g -> System.out.println(tick + ": " + (g.lost() < 0
                ? "gap: messages after " + g.after() + " may have been trimmed before they were copied (the stream now starts at "
                + g.resumesAt() + "); this Redis is older than 7.0 and cannot count them"
                : String.format("gap: %,d messages after %s were trimmed from Redis before they were copied (the stream now starts"
                + " at %s)", g.lost(), g.after(), g.resumesAt()))));
        Backup.Report report;
        long present = backup.redis.xlen(backup.stream);
        if (present > Backup.BATCH && System.console() != null) {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("backup").setInitialMax(present).setUnit(" msg", 1)
                    .showSpeed().setUpdateIntervalMillis(200).build()) {
                report = backup.runOnce(bar::stepBy);
                bar.maxHint(bar.getCurrent());
            }
        } else {
            report = backup.runOnce(n -> { });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = report.copied() + report.alreadyThere();
        String lost = unknowable ? "not checked (first backup)"
                : gap.map(g -> g.lost() < 0 ? "unknown" : String.format("%,d", g.lost())).orElse("0");
        String rate = total == 0 ? "nothing new" : String.format(Locale.ROOT, "%,.0f messages/s", total / Math.max(seconds, 1e-9));
        System.out.printf(Locale.ROOT, "%s: backup done: copied %,d, already there %,d, lost to trimming %s, checkpoint %s, %.2f s, %s%n",
                tick, report.copied(), report.alreadyThere(), lost, report.checkpoint().last(), seconds, rate);
    }

    /** Whether Redis (7.0+) counted more entries added to the stream than it holds now: some were trimmed. */
    static boolean redisSaysTrimmed(Backup backup) {
        return backup.redis.exists(backup.stream)
                && backup.redis.xinfoStream(backup.stream).getStreamInfo().get("entries-added") instanceof Long added
                && added > backup.redis.xlen(backup.stream);
    }

    /** A failure as one line: which store, where, and the driver's first sentence, without a stack trace. */
    static String describe(Throwable e, LessonRedis redis, LessonMongo mongo) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        if (message.length() > 160) {
            message = message.substring(0, 157) + "...";
        }
        if (e instanceof MongoTimeoutException) {
            return "MongoDB at " + mongo.uri() + " is not reachable (" + (String.valueOf(e.getMessage()).contains("Connection refused")
                    ? "connection refused" : "no answer within the server selection timeout") + ")";
        }
        if (e instanceof MongoException) {
            return "MongoDB at " + mongo.uri() + " did not answer (" + message + ")";
        }
        if (e instanceof JedisException) {
            return "Redis at " + redis.url() + " did not answer (" + message + ")";
        }
        return message;
    }

    /** Adds n chat messages the way lesson 11 does, so there is something to back up without chatting first. */
    static void addDemoMessages(Backup backup, int n) {
        String[] users = {"ada", "linus", "grace"};
        for (int i = 1; i <= n; i++) {
            backup.redis.xadd(backup.stream, XAddParams.xAddParams().maxLen(1000).approximateTrimming(),
                    Map.of("user", users[i % 3], "text", "demo message " + i, "time", Instant.now().toString(), "mark", "demo-" + i));
        }
        if (n > 0) {
            System.out.printf("Added %,d demo messages to %s (it keeps about 1,000).%n", n, backup.stream);
        }
    }
}
