package relaylab.realtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Records what java.util.logging publishes through one logger (and its children) while open. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Captures the records that reach the logger of this name ("" for the root: everything). */
    static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName));
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** What was published so far, once the core's log thread has handed over every line logged before this call. */
    List<LogRecord> records() {
        CoreLog.LOG.awaitIdle(15_000);
        return List.copyOf(records);
    }

    /** The records whose message contains the text. */
    List<LogRecord> containing(String text) {
        return records().stream().filter(r -> String.valueOf(r.getMessage()).contains(text)).toList();
    }

    /** One line per record, for failure messages. */
    String describe() {
        return records().stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                + (r.getThrown() != null ? " [with stack trace]" : "")).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
