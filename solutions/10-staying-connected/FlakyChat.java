// The library sources this lesson compiles with (JBang reads //SOURCES of a file named by //SOURCES too):
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.RealtimeServer;
import relaylab.workbook.Exercise;

/**
 * What lesson 10's main runs: the chat server behind a FlakyProxy, two bots (ada and bob) chatting through
 * it, and a running count per bot, while the proxy drops connections (--drop-every) or freezes the network
 * (--blackhole). Open the page through the same address in two tabs to watch the same from a browser.
 * Nothing to write here; Main is the lesson's command line (StayingConnected.main runs it).
 */
final class FlakyChat {
    private FlakyChat() {
    }

    @Command(name = "lesson10", mixinStandardHelpOptions = true, version = "Relay Lab lesson 10",
            description = "Runs the chat behind a flaky network: two bots chat while the proxy drops and freezes connections;"
                    + " open the page in two tabs to watch drops, backoff and recovery.")
    static final class Main implements Runnable {
        @Option(names = "--port", defaultValue = "3000", description = "port of the flaky proxy, the address to open (0 picks a free one); default ${DEFAULT-VALUE}")
        int port;

        @Option(names = "--drop-every", defaultValue = "15s", converter = DurationConverter.class,
                description = "drop every connection this often, e.g. 5s or 500ms; 0 never; default ${DEFAULT-VALUE}")
        Duration dropEvery;

        @Option(names = "--blackhole", defaultValue = "0", converter = DurationConverter.class,
                description = "every 30 s, freeze the network this long without closing anything (e.g. 10s); default off")
        Duration blackhole;

        @Option(names = "--bots", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "let ada and bob chat (--no-bots for a quiet chat)")
        boolean bots;

        @Option(names = "--measure", defaultValue = "0", paramLabel = "N",
                description = "instead of the demo: N times, cut the network, post a message, restore it, and print how long"
                        + " until a tab shows that message; then the medians")
        int measure;

        @Override
        public void run() {
            Exercise.run(StayingConnected.class, () -> {
                if (StayingConnected.class.getClassLoader().getResource(StayingConnected.PAGE) == null) {
                    throw new IllegalStateException(StayingConnected.PAGE + " is not on the classpath; start the lesson with ./jbang lesson10");
                }
                RealtimeServer server = RealtimeServer.create(StayingConnected::configure);
                StayingConnected app = new StayingConnected(server);
                preflight(app);
                server.start(0);
                FlakyProxy proxy = FlakyProxy.start(port, server.port());
                ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    network.shutdownNow();
                    proxy.close();
                    server.stop();
                    System.out.println("Chat and proxy stopped.");
                }));
                String url = "http://localhost:" + proxy.port();
                System.out.println("Chat on " + url + " behind a flaky proxy (Ctrl-C stops it); the server itself is on port "
                        + server.port() + ". Heartbeat: ping every " + StayingConnected.PING_INTERVAL.toSeconds() + " s, dead after "
                        + Heartbeat.deadAfter(StayingConnected.PING_INTERVAL, StayingConnected.PING_TIMEOUT).toSeconds() + " s.");
                if (!dropEvery.isZero()) {
                    network.scheduleAtFixedRate(() -> System.out.println("proxy: dropped " + proxy.drop() + " connections"),
                            dropEvery.toMillis(), dropEvery.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!blackhole.isZero()) {
                    network.scheduleAtFixedRate(() -> {
                        System.out.println("proxy: the network freezes for " + blackhole.toSeconds() + " s (nothing is closed)");
                        proxy.freeze(blackhole);
                    }, 10, 30, TimeUnit.SECONDS);
                }
                if (measure > 0) {
                    measure(app, proxy, measure);
                    return;
                }
                if (bots) {
                    chat(app, "http://127.0.0.1:" + proxy.port(), network);
                }
                System.out.println("Open " + url + " in two browser tabs and chat while the proxy misbehaves.");
                throw app.unfinished.await();
            });
        }
    }

    /** Runs each task's code once, so that an unfinished TODO is named at the start (Exercise.run says which). */
    private static void preflight(StayingConnected app) {
        Heartbeat.deadAfter(StayingConnected.PING_INTERVAL, StayingConnected.PING_TIMEOUT);
        Backoff.delayMillis(0, 0.5);
        app.catchUp(null);
        new Screen().show(new Message(1, "preflight", "lesson", "hello", 0));
    }

    /** ada and bob each say a line every 2 s; every 10 s each prints its running count. */
    private static void chat(StayingConnected app, String url, ScheduledExecutorService timers) throws InterruptedException {
        ChatTab ada = new ChatTab("ada", url, ChatTab.Options.lesson(), System.out::println);
        ChatTab bob = new ChatTab("bob", url, ChatTab.Options.lesson(), System.out::println);
        CountDownLatch first = new CountDownLatch(1);
        int[] line = {0};
        timers.scheduleAtFixedRate(() -> {
            ChatTab who = line[0] % 2 == 0 ? ada : bob;
            who.say("line " + ++line[0] + " from " + who.name);
            first.countDown();
        }, 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(() -> {
            for (ChatTab tab : List.of(ada, bob)) {
                RuntimeException problem = tab.problem();
                System.out.println("  " + tab.name + ": " + (problem != null ? "stopped by " + problem.getMessage() : tab.count()
                        + (tab.pending() > 0 ? " (" + tab.pending() + " waiting to be sent)" : "")));
            }
        }, 10, 10, TimeUnit.SECONDS);
        first.await();
    }

    /**
     * Restore-to-screen time of a missed message, n times: total (from restore() until the tab shows it), and the part
     * after the tab's backoff timer fired (reconnect, catch-up, show), since the timer itself is chance.
     */
    private static void measure(StayingConnected app, FlakyProxy proxy, int n) throws InterruptedException {
        long[] timerDue = {0};
        ChatTab tab = new ChatTab("probe", "http://127.0.0.1:" + proxy.port(), ChatTab.Options.lesson(), line -> {
            Matcher m = Pattern.compile("reconnecting in (\\d+) ms").matcher(line);
            if (m.find()) {
                timerDue[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(m.group(1)));
            }
        });
        List<Long> totals = new ArrayList<>();
        List<Long> afterTimer = new ArrayList<>();
        try (tab) {
            awaitTrue(tab::connected, "the probe tab connects");
            for (int i = 1; i <= n; i++) {
                proxy.cut();
                awaitTrue(() -> !tab.connected() && timerDue[0] != 0, "the probe tab notices the cut");
                String id = "measure-" + i + "-" + System.nanoTime();
                app.post(id, "server", "missed message " + i);
                long restored = System.nanoTime();
                proxy.restore();
                awaitTrue(() -> tab.screen.messages().stream().anyMatch(m -> m.id().equals(id)), "the missed message shows");
                long shown = System.nanoTime();
                totals.add(TimeUnit.NANOSECONDS.toMicros(shown - restored));
                afterTimer.add(TimeUnit.NANOSECONDS.toMicros(shown - Math.max(restored, timerDue[0])));
                timerDue[0] = 0;
                System.out.printf("run %d: %.1f ms from restore to the missed message on screen, %.1f ms after the backoff timer fired%n",
                        i, totals.get(i - 1) / 1000.0, afterTimer.get(i - 1) / 1000.0);
            }
        }
        System.out.printf("median of %d: %.1f ms from restore, %.1f ms after the backoff timer (reconnect + catch-up + show)%n",
                n, median(totals) / 1000.0, median(afterTimer) / 1000.0);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited 30 s in vain for this: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    /** Reads 5s, 500ms, 2m or a bare number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" is not a duration; write e.g. 5s, 500ms or 2m");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
