import java.util.Optional;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;
import relaylab.workbook.Task;

/**
 * Lesson 11 trims its stream (XADD MAXLEN ~ 1000). When the chat outruns the backup, messages are trimmed
 * before they were copied: the backup cannot get them back, but it must say so instead of skipping them silently.
 */
final class Gaps {
    private Gaps() {
    }

    /** Messages trimmed away before they were copied: after {@code after}, before {@code resumesAt}; lost is -1 when Redis cannot count. */
    record Gap(String after, String resumesAt, long lost) {
    }

    @Task(number = 5, title = "Detect gaps",
            hint = "No gap when the stream is missing or its first entry is not after the checkpoint. Else XINFO STREAM's"
                    + " entries-added (Redis 7+) counts every entry ever added: lost = added - passed - length (all entries"
                    + " left are after the checkpoint). Save passed + lost, so the next run does not count them again."
                    + " Without entries-added (Redis 6.2) nobody can count them: report the gap with lost = -1.")
    static Optional<Gap> find(Backup backup) {
        // TODO 5: when the stream now starts after the checkpoint, count what trimming lost (XINFO STREAM) (task 5)
        throw new UnsupportedOperationException("TODO 5: detect a gap");
    }
}
