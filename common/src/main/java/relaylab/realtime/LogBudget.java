package relaylab.realtime;

/**
 * A rate limit for one kind of log line that clients can trigger (rejected requests, closed connections): at most
 * {@code perSecond} lines a second; the lines left out are counted and mentioned by the next line that passes.
 * Keeps a flood of bad clients from flooding the log, and the threads that log (often I/O threads) from stalling.
 */
final class LogBudget {
    private final int perSecond;
    private long windowStart = System.nanoTime();
    private int used;
    private int skipped;

    LogBudget(int perSecond) {
        this.perSecond = perSecond;
    }

    /**
     * Null when this line must be left out; else what to append to it: "" or, after lines were left out, a note
     * saying how many.
     */
    synchronized String spend() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            used = 0;
        }
        if (used >= perSecond) {
            skipped++;
            return null;
        }
        used++;
        if (skipped == 0) {
            return "";
        }
        String note = " (" + skipped + " similar lines left out before this one)";
        skipped = 0;
        return note;
    }
}
