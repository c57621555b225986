import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import relaylab.realtime.client.RealtimeClient;
import relaylab.store.LessonRedis;

/**
 * What {@code --measure} runs: the same load on one node and on two nodes sharing it over Redis, in turns, three
 * times: {@code clients} clients in one room, each message said by a random one at a fixed rate and delivered to
 * all the others. It prints deliveries per second and the delivery latency (said by the sender to received by a
 * client, both in this JVM) of each run, then the medians. The nodes are real processes, the clients connect to
 * them directly (no balancer: it would add its own hop to both). Nothing to write here.
 */
final class ScaleOutMeasure {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ROOM = "measure";

    private ScaleOutMeasure() {
    }

    /** The load: {@code clients} in one room, {@code rate} messages per second for {@code seconds}, {@code runs} turns. */
    record Load(int clients, int rate, int seconds, int runs) {
    }

    /** Where the clients connect: {@code urls} of the nodes named {@code names}, the clients spread over them in turn. */
    private record Setup(String label, List<String> urls, List<String> names) {
    }

    /** One measured run: deliveries per second, latency percentiles in ms, and the median of the cross-node ones. */
    record Run(String label, double perSecond, double p50, double p99, double crossNodeP50, long missing) {
        String line() {
            return String.format("%-27s %,9.0f deliveries/s, latency median %6.2f ms, p99 %7.2f ms%s%s", label + ":",
                    perSecond, p50, p99,
                    Double.isNaN(crossNodeP50) ? "" : String.format(", median across nodes %.2f ms", crossNodeP50),
                    missing == 0 ? "" : ", MISSING " + missing + " deliveries");
        }
    }

    /** A client of the measure, on one node; it notes the latency of every message it receives. */
    private static final class Listener implements AutoCloseable {
        final RealtimeClient client;
        final String node;

        Listener(String url, String node, Recorder recorder) {
            this.node = node;
            client = RealtimeClient.connect(url, o -> o.reconnection(false));
            client.on("message", args -> recorder.record(((Map<?, ?>) args.get(0)), node));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The latencies of one run, in nanoseconds, split into same-node and cross-node deliveries. */
    private static final class Recorder {
        final long[] latencies;
        final boolean[] crossNode;
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong lastAt = new AtomicLong();
        volatile boolean measuring;

        Recorder(int capacity) {
            latencies = new long[capacity];
            crossNode = new boolean[capacity];
        }

        void record(Map<?, ?> message, String node) {
            long now = System.nanoTime();
            String text = String.valueOf(message.get("text"));
            if (!measuring || !text.startsWith("t")) {
                return;   // a warm-up message
            }
            int i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - Long.parseLong(text.substring(1));
                crossNode[i] = !node.equals(message.get("node"));
            }
            lastAt.accumulateAndGet(now, Math::max);
        }
    }

    /**
     * Starts a lone server and two nodes on {@code redis} and measures {@code load} on the lone server, on one node
     * (its Bus publishes every message on Redis, nobody else listens) and on two nodes, in turns.
     */
    static void measure(LessonRedis redis, Load load, Consumer<String> out) throws Exception {
        String prefix = "relaylab13-measure-" + UUID.randomUUID().toString().substring(0, 8);
        try (NodeProcess solo = new NodeProcess("solo", 0, redis.url(), prefix, false, List.of("--alone"), line -> { });
             NodeProcess one = new NodeProcess("node1", 0, redis.url(), prefix, false, line -> { });
             NodeProcess two = new NodeProcess("node2", 0, redis.url(), prefix, false, line -> { })) {
            String soloUrl = "http://127.0.0.1:" + solo.awaitPort(WAIT);
            String oneUrl = "http://127.0.0.1:" + one.awaitPort(WAIT);
            String twoUrl = "http://127.0.0.1:" + two.awaitPort(WAIT);
            List<Setup> setups = List.of(new Setup("1 server, no Redis", List.of(soloUrl), List.of("solo")),
                    new Setup("1 node over Redis", List.of(oneUrl), List.of("node1")),
                    new Setup("2 nodes over Redis", List.of(oneUrl, twoUrl), List.of("node1", "node2")));
            out.accept(String.format("%d clients in one room, %d messages/s for %d s (%,d deliveries/s offered), %d runs each;"
                    + " Redis %s", load.clients(), load.rate(), load.seconds(), (long) load.rate() * (load.clients() - 1),
                    load.runs(), redis.url()));
            List<List<Run>> runs = new ArrayList<>();
            for (Setup setup : setups) {
                runOnce(setup, load, new Random(0));   // warm-up of the nodes' JIT, not counted
                runs.add(new ArrayList<>());
            }
            for (int r = 1; r <= load.runs(); r++) {
                for (int i = 0; i < setups.size(); i++) {
                    Run run = runOnce(setups.get(i), load, new Random(r));
                    out.accept("run " + r + "  " + run.line());
                    runs.get(i).add(run);
                }
            }
            List<Run> medians = runs.stream().map(ScaleOutMeasure::median).toList();
            for (Run m : medians) {
                out.accept("median  " + m.line());
            }
            Run alone = medians.get(0);
            Run pair = medians.get(2);
            out.accept(String.format("2 nodes over Redis vs 1 server: %+.1f%% deliveries/s, median latency %+.2f ms (medians of %d)",
                    100 * (pair.perSecond() / alone.perSecond() - 1), pair.p50() - alone.p50(), load.runs()));
        } finally {
            redis.deleteKeys(prefix);
        }
    }

    private static Run runOnce(Setup setup, Load load, Random random) throws Exception {
        int messages = load.rate() * load.seconds();
        Recorder recorder = new Recorder(messages * (load.clients() - 1));
        List<Listener> clients = new ArrayList<>();
        try {
            List<CompletableFuture<List<Object>>> joins = new ArrayList<>();
            for (int i = 0; i < load.clients(); i++) {
                int node = i % setup.urls().size();
                Listener c = new Listener(setup.urls().get(node), setup.names().get(node), recorder);
                clients.add(c);
                joins.add(c.client.emitWithAck("join", WAIT, ROOM));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            long pause = TimeUnit.SECONDS.toNanos(1) / load.rate();
            for (int i = 0; i < load.rate(); i++) {   // one second of warm-up in this room
                clients.get(random.nextInt(clients.size())).client.emit("say", "warm-up");
                LockSupport.parkNanos(pause);
            }
            recorder.measuring = true;
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                long due = start + i * pause;
                long early = due - System.nanoTime();
                if (early > 0) {
                    LockSupport.parkNanos(early);   // keeps the offered rate, not a wait for an event
                }
                clients.get(random.nextInt(clients.size())).client.emit("say", "t" + System.nanoTime());
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (recorder.count.get() < recorder.latencies.length && System.nanoTime() < deadline) {
                Thread.sleep(10);   // polls the count the clients' threads raise, until every delivery arrived or the deadline
            }
            int n = Math.min(recorder.count.get(), recorder.latencies.length);
            long[] all = Arrays.copyOf(recorder.latencies, n);
            long[] cross = new long[n];
            int crossCount = 0;
            for (int i = 0; i < n; i++) {
                if (recorder.crossNode[i]) {
                    cross[crossCount++] = recorder.latencies[i];
                }
            }
            Arrays.sort(all);
            long[] across = Arrays.copyOf(cross, crossCount);
            Arrays.sort(across);
            double seconds = (recorder.lastAt.get() - start) / 1e9;
            return new Run(setup.label(), n / seconds, percentile(all, 0.50), percentile(all, 0.99),
                    crossCount == 0 ? Double.NaN : percentile(across, 0.50), recorder.latencies.length - n);
        } finally {
            for (Listener c : clients) {
                c.close();
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static Run median(List<Run> runs) {
        return new Run(runs.get(0).label(), median(runs, Run::perSecond), median(runs, Run::p50), median(runs, Run::p99),
                median(runs, Run::crossNodeP50), runs.stream().mapToLong(Run::missing).sum());
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        return values[values.length / 2];
    }
}
