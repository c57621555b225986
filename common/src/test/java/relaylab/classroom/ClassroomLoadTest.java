package relaylab.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.classroom.Learners.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.classroom.ClassroomLink.Kind;
import relaylab.testing.BrowserPage;
import relaylab.testing.SharedBrowser;

/**
 * A bounded load check: 30 learners each sending a result every second (as {@code grade NN --watch} would on
 * every save) for 20 s (-Drelaylab.classroom.loadSeconds=N changes it), with the dashboard open in Chromium.
 * It proves that nothing is lost and that the page ends showing each learner's last result; the delays from a
 * learner sending to the page showing it are printed (median, p95, max), never asserted.
 */
class ClassroomLoadTest {
    @RegisterExtension
    static final SharedBrowser BROWSER = new SharedBrowser();

    private static final int LEARNERS = 30;

    @Test
    @DisplayName("30 learners sending every second for 20 s: every result reaches the page and the grid ends on each one's last result")
    void thirtyLearnersOnWatch() throws Exception {
        int seconds = Integer.getInteger("relaylab.classroom.loadSeconds", 20);
        try (Classroom room = Classroom.start(s -> s.host("127.0.0.1").port(0))) {
            BrowserPage page = BROWSER.open(room.url());
            page.awaitText("#status", "live", WAIT);
            List<ClassroomLink> links = new ArrayList<>();
            for (int i = 0; i < LEARNERS; i++) {
                links.add(Learners.settled(Learners.learner(room, String.format("Learner %02d", i))));
            }
            Map<Kind, AtomicInteger> outcomes = new EnumMap<>(Kind.class);
            for (Kind kind : Kind.values()) {
                outcomes.put(kind, new AtomicInteger());
            }
            Map<Integer, Integer> lastDone = new ConcurrentHashMap<>();
            List<Long> ackMillis = java.util.Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService senders = Executors.newScheduledThreadPool(LEARNERS);
            long started = System.nanoTime();
            try {
                for (int i = 0; i < LEARNERS; i++) {
                    int learner = i;
                    AtomicInteger round = new AtomicInteger();
                    senders.scheduleAtFixedRate(() -> {
                        int done = (learner + round.getAndIncrement()) % 5;
                        String[] statuses = new String[4];
                        for (int t = 0; t < 4; t++) {
                            statuses[t] = t < done ? GradeResult.PASSED : GradeResult.FAILED;
                        }
                        long before = System.nanoTime();
                        Kind kind = links.get(learner).send(Learners.result(5, statuses)).kind();
                        ackMillis.add((System.nanoTime() - before) / 1_000_000);
                        outcomes.get(kind).incrementAndGet();
                        lastDone.put(learner, done);
                    }, learner * 1000L / LEARNERS, 1000, TimeUnit.MILLISECONDS);
                }
                Thread.sleep(Duration.ofSeconds(seconds).toMillis());   // the length of the run, not a wait for an event
            } finally {
                senders.shutdown();
                assertThat(senders.awaitTermination(10, TimeUnit.SECONDS)).as("the senders stopped").isTrue();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            int sent = outcomes.get(Kind.SENT).get();
            assertThat(outcomes.get(Kind.REFUSED).get() + outcomes.get(Kind.REJECTED).get()).as("results refused " + outcomes).isZero();
            int attempted = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();

            // every acknowledged result reaches the page (one delay recorded per learner update it showed)
            page.awaitScript("window.classroomStats.delays.length >= " + sent, "the page to show all " + sent + " acknowledged results",
                    Duration.ofSeconds(15));
            // and the grid ends on each learner's last result
            for (ClassroomLink link : links) {
                int learner = links.indexOf(link);
                int done = lastDone.get(learner);
                String expected = "✔".repeat(done) + "✘".repeat(4 - done);
                page.awaitScript("Array.from(document.querySelectorAll('section[data-lesson=\"5\"] tr[data-learner=\"" + link.joined().id()
                        + "\"] td[data-task]')).map(c => c.textContent).join('') === '" + expected + "'",
                        "Learner " + learner + "'s last result " + expected, WAIT);
            }
            long[] delays = ((List<?>) page.script("return window.classroomStats.delays;")).stream()
                    .mapToLong(d -> ((Number) d).longValue()).sorted().toArray();
            long[] acks = ackMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("classroom load: %d learners, %d results in %.1f s (%.1f/s; %s), load average %s%n", LEARNERS,
                    attempted, elapsed, attempted / elapsed, outcomes, ClassroomPageTest.loadAverage());
            System.out.printf("  send -> page shown: median %d ms, p95 %d ms, max %d ms (%d updates)%n",
                    percentile(delays, 50), percentile(delays, 95), delays[delays.length - 1], delays.length);
            System.out.printf("  send -> ack at the learner: median %d ms, p95 %d ms, max %d ms%n",
                    percentile(acks, 50), percentile(acks, 95), acks[acks.length - 1]);
            links.forEach(ClassroomLink::close);
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
