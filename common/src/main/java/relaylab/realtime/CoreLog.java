package relaylab.realtime;

import java.util.ResourceBundle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server core's logger ({@code relaylab.realtime}), off the I/O threads' path: a line is checked against the
 * level and built where it is logged, then handed to one background thread that gives it to java.util.logging.
 * A slow console or log handler (or a mass close logging thousands of lines) thus never stalls an I/O thread and
 * the clients it serves. The hand-off queue is bounded ({@value #CAPACITY} lines); lines that find it full are
 * dropped and counted, and the next line published says how many.
 */
final class CoreLog implements System.Logger {
    static final CoreLog LOG = new CoreLog();
    static final int CAPACITY = 10_000;
    private static final String NAME = "relaylab.realtime";
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final Logger target = Logger.getLogger(NAME);
    private final BlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    /** Lines handed over and not yet published (or dropped). */
    private final AtomicLong pending = new AtomicLong();

    private CoreLog() {
        Thread writer = new Thread(this::publishLoop, "realtime-log");
        writer.setDaemon(true);
        writer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitIdle(1000), "realtime-log-drain"));
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isLoggable(System.Logger.Level level) {
        return target.isLoggable(jul(level));
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            LogRecord record = record(level, msg);
            record.setThrown(thrown);
            hand(record);
        }
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            LogRecord record = record(level, format);
            record.setParameters(params);
            hand(record);
        }
    }

    private LogRecord record(System.Logger.Level level, String msg) {
        LogRecord record = new LogRecord(jul(level), msg);
        record.setLoggerName(NAME);
        // the class and method that logged, as java.util.logging would have found them on this thread
        WALKER.walk(frames -> frames.filter(f -> !f.getClassName().equals(CoreLog.class.getName())
                        && !f.getClassName().startsWith("java.lang.System$Logger")).findFirst())
                .ifPresent(f -> {
                    record.setSourceClassName(f.getClassName());
                    record.setSourceMethodName(f.getMethodName());
                });
        return record;
    }

    private void hand(LogRecord record) {
        pending.incrementAndGet();
        if (!queue.offer(record)) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    private void publishLoop() {
        while (true) {
            LogRecord record;
            try {
                record = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    target.log(java.util.logging.Level.WARNING, lost + " lines of the relaylab.realtime log were dropped: the log could not keep up ("
                            + CAPACITY + " lines waiting)");
                }
                target.log(record);
            } catch (RuntimeException e) {
                // a broken handler must not end the log thread; say so where a person will see it
                System.err.println("relaylab.realtime log handler failed: " + e + " (line: " + record.getMessage() + ")");
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /**
     * Waits (at most {@code millis}) until every line handed over so far is published: called by
     * {@link RealtimeServer#stop()} and at exit, so that a server's last lines are not lost, and by tests that read
     * the log.
     */
    boolean awaitIdle(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (pending.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    private static java.util.logging.Level jul(System.Logger.Level level) {
        return switch (level) {
            case ALL -> java.util.logging.Level.ALL;
            case TRACE -> java.util.logging.Level.FINER;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARNING -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
            case OFF -> java.util.logging.Level.OFF;
        };
    }
}
