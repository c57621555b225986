import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import relaylab.workbook.Task;

/**
 * When the backup runs: the times of a cron expression (parsed by relaylab.schedule.CronExpressions, e.g.
 * "*&#47;5 * * * *"), each one scheduled on a ScheduledExecutorService. The JDK has no cron; the library
 * computes the next time, the timer waits for it.
 */
final class Schedule {
    private Schedule() {
    }

    @Task(number = 1, title = "Compute the next run",
            hint = "ExecutionTime.forCron(cron).nextExecution(after) is the next time strictly after `after` (cut `after` to whole"
                    + " seconds first: cron-utils keeps its fraction of a second). In start, wait from"
                    + " now until then with timer.schedule(..., millis, MILLISECONDS); when it fires, first start the schedule again"
                    + " after the time that fired (not after now, which may still be a hair before it), then call tick.")
    static ZonedDateTime nextRun(Cron cron, ZonedDateTime after) {
        // TODO 1: ask cron-utils for the next time of the schedule strictly after `after` (task 1)
        throw new UnsupportedOperationException("TODO 1: compute the next run");
    }

    /** Calls tick(time) on the timer's thread at every time of the schedule after {@code after}, until the timer is shut down. */
    static void start(Cron cron, ZonedDateTime after, ScheduledExecutorService timer, Consumer<ZonedDateTime> tick) {
        // TODO 1: schedule on the timer, at the next run: start the schedule again after that run, then tick(it) (task 1)
        throw new UnsupportedOperationException("TODO 1: schedule the next run");
    }
}
