// The library sources this lesson compiles with (JBang reads //SOURCES of a file named by //SOURCES too):
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/store/LessonRedis.java ../../common/src/main/java/relaylab/store/EmbeddedRedis.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java
//SOURCES NodeProcess.java
//SOURCES CatchUp.java
//SOURCES ScaleOutProof.java
//SOURCES ScaleOutMeasure.java
import com.fasterxml.jackson.core.JsonProcessingException;
import io.undertow.Undertow;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import relaylab.realtime.Adapter;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.store.LessonRedis;
import relaylab.workbook.Exercise;

/**
 * What lesson 13's main runs: a Redis, N node processes (each this same program with {@code --node}), and
 * Undertow's load balancer in front of them; each node prints the browsers that land on it and the live nodes
 * it sees. Also the plumbing the lesson needs but does not teach: JSON, the subscriber thread, the balancer.
 * Nothing to write here. Main is the lesson's command line (ScaleOut.main runs it).
 */
final class ScaleOutCluster {
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private ScaleOutCluster() {
    }

    @Command(name = "lesson13", mixinStandardHelpOptions = true, version = "Relay Lab lesson 13",
            description = "Starts N chat nodes sharing broadcasts over Redis, behind a sticky load balancer.")
    static final class Main implements Runnable {
        @Option(names = "--nodes", defaultValue = "3", description = "how many node processes to start; default ${DEFAULT-VALUE}")
        int nodes;
        @Option(names = "--port", defaultValue = "3000", description = "the load balancer's port; default ${DEFAULT-VALUE}")
        int port;
        @Option(names = "--redis-url", description = "your own Redis (else REDIS_URL, else an embedded one)")
        String redisUrl;
        @Option(names = "--node", hidden = true, description = "run as one node with this name (the launcher uses it)")
        String node;
        @Option(names = "--node-port", hidden = true, defaultValue = "0")
        int nodePort;
        @Option(names = "--prefix", hidden = true, defaultValue = "relaylab13")
        String prefix;
        @Option(names = "--alone", hidden = true, description = "run the node as a lone server, without the Bus (--measure)")
        boolean alone;
        @Spec
        CommandSpec spec;
        @Option(names = "--prove", description = "run the proof: node processes, clients in random rooms, room messages"
                + " (run 1), then as many again with the last node killed by SIGKILL half-way (run 2)")
        boolean prove;
        @Option(names = "--measure", description = "measure deliveries/s and latency of the same load on 1 node and on 2 nodes"
                + " over Redis, in turns; prints each run and the medians")
        boolean measure;
        @Option(names = "--clients", defaultValue = "50", description = "clients per node (--measure: 2x this many in all, on"
                + " 1 node or split over 2); default ${DEFAULT-VALUE}")
        int clients;
        @Option(names = "--broadcasts", defaultValue = "1000", description = "--prove: room messages; default ${DEFAULT-VALUE}")
        int broadcasts;
        @Option(names = "--rooms", defaultValue = "10", description = "--prove: rooms; default ${DEFAULT-VALUE}")
        int rooms;
        @Option(names = "--rate", defaultValue = "200", description = "messages per second; default ${DEFAULT-VALUE}")
        int rate;
        @Option(names = "--seconds", defaultValue = "10", description = "--measure: seconds of each run; default ${DEFAULT-VALUE}")
        int seconds;
        @Option(names = "--runs", defaultValue = "3", description = "--measure: runs of each; default ${DEFAULT-VALUE}")
        int runs;
        @Option(names = "--no-kill", description = "--prove: run 1 only, where no node is killed")
        boolean noKill;
        @Option(names = "--seed", defaultValue = "13", description = "--prove: seed of the rooms and senders; default ${DEFAULT-VALUE}")
        long seed;

        @Override
        public void run() {
            Logs.quietLibraries();
            if (nodes < 1 || nodes > 9) {
                throw new ParameterException(spec.commandLine(), "--nodes " + nodes + ": choose 1 to 9 nodes");
            }
            if (clients < 1 || rate < 1 || broadcasts < 2 || rooms < 1 || seconds < 1 || runs < 1) {
                throw new ParameterException(spec.commandLine(), "--clients, --rate, --rooms, --seconds and --runs must be at"
                        + " least 1 and --broadcasts at least 2");
            }
            if (prove && !noKill && nodes < 2) {
                throw new ParameterException(spec.commandLine(), "--prove kills a node half-way: it needs --nodes 2 or more"
                        + " (or --no-kill)");
            }
            Exercise.run(ScaleOut.class, () -> {
                if (node != null) {
                    runNode();
                } else if (prove) {
                    runProof();
                } else if (measure) {
                    try (LessonRedis redis = LessonRedis.start(redisUrl, Path.of(".relaylab", "redis-13"))) {
                        ScaleOutMeasure.measure(redis, new ScaleOutMeasure.Load(2 * clients, rate, seconds, runs), System.out::println);
                    }
                } else {
                    runCluster();
                }
            });
        }

        private void runNode() throws InterruptedException {
            try (LessonRedis redis = LessonRedis.start(redisUrl, Path.of(".relaylab", "redis-13"))) {
                ScaleOut app = new ScaleOut(node, redis.client(), prefix, 1000);
                RealtimeServer server = RealtimeServer.create(cfg -> {
                    app.configure(cfg);
                    if (alone) {
                        cfg.adapter(Adapter::new);   // this server's sockets only: what one server without Redis does
                    }
                });
                server.on("connection", socket -> System.out.println(node + ": a browser landed here (socket " + socket.id() + ")"));
                server.on("connection", app::onConnection);
                CatchUp catchUp = new CatchUp(redis.client(), prefix, node, server, System::currentTimeMillis);
                Runtime.getRuntime().addShutdownHook(new Thread(catchUp::close));
                server.start(nodePort);
                heartbeat(app, server, System.out::println);
                System.out.println(node + ": up on port " + server.port());
                new CountDownLatch(1).await();   // until the launcher stops this process
            }
        }

        private void runProof() throws Exception {
            try (LessonRedis redis = LessonRedis.start(redisUrl, Path.of(".relaylab", "redis-13"))) {
                ScaleOutProof.Size size = new ScaleOutProof.Size(nodes, clients, rooms, broadcasts, rate, !noKill, seed);
                if (!ScaleOutProof.prove(redis, size, System.out::println).proven()) {
                    System.exit(1);
                }
            }
        }

        private void runCluster() throws Exception {
            try (LessonRedis redis = LessonRedis.start(redisUrl, Path.of(".relaylab", "redis-13"))) {
                System.out.println("Redis at " + redis.url() + (redis.embedded() ? " (embedded)" : ""));
                Map<String, URI> hosts = new LinkedHashMap<>();
                List<NodeProcess> processes = new ArrayList<>();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(NodeProcess::stopQuietly)));
                for (int i = 1; i <= nodes; i++) {
                    processes.add(new NodeProcess("node" + i, port + i, redis.url(), prefix, true, System.out::println));
                }
                for (NodeProcess p : processes) {
                    hosts.put(p.name, URI.create("http://127.0.0.1:" + p.awaitPort(START_WAIT)));
                }
                Undertow balancer = balancer(port, hosts, true);
                System.out.println("Sticky load balancer on http://localhost:" + port + " in front of " + hosts.keySet()
                        + ". Open it in several tabs: each shows its node. kill -9 a node's process to see its users move.");
                try {
                    new CountDownLatch(1).await();
                } finally {
                    balancer.stop();
                }
            }
        }
    }

    /**
     * Beats every second for the node of {@code app}: {@code heartbeat(now)}, then sends the live nodes to each socket
     * of this node ("nodes"), printing the list when it changes. Stop the returned executor to stop beating.
     */
    static ScheduledExecutorService heartbeat(ScaleOut app, RealtimeServer server, Consumer<String> print) {
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + app.node);
            t.setDaemon(true);
            return t;
        });
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        beat.scheduleAtFixedRate(() -> {
            try {
                app.heartbeat(System.currentTimeMillis());
                List<String> live = app.liveNodes(System.currentTimeMillis());
                if (!live.equals(seen.getAndSet(live))) {
                    print.accept(app.node + ": live nodes " + live);
                }
                for (RealtimeSocket socket : server.sockets()) {
                    socket.emit("nodes", live);
                }
            } catch (RuntimeException e) {
                print.accept(app.node + ": heartbeat failed: " + e.getMessage());
            }
        }, 0, 1, TimeUnit.SECONDS);
        return beat;
    }

    /** Starts Undertow's load balancer on 127.0.0.1:port in front of the nodes; sticky or plain round robin. */
    static Undertow balancer(int port, Map<String, URI> nodes, boolean sticky) {
        LoadBalancingProxyClient client = new LoadBalancingProxyClient().setConnectionsPerThread(20);
        if (sticky) {
            ScaleOut.sticky(client, nodes);
        } else {
            nodes.values().forEach(client::addHost);
        }
        Undertow undertow = Undertow.builder().addHttpListener(port, "127.0.0.1")
                .setHandler(new ProxyHandler(client, 60_000, ResponseCodeHandler.HANDLE_404)).build();
        undertow.start();
        return undertow;
    }

    /** The port the balancer listens on (after starting it on port 0). */
    static int port(Undertow undertow) {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** JSON text of a value (an Envelope). */
    static String json(Object value) {
        try {
            return RealtimeJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Subscribes to a channel on a thread of its own (a subscribed connection can do nothing else) and passes each
     * message, read as an Envelope, to {@code onMessage}; subscribes again when Redis comes back after an outage.
     * Returns once subscribed; closing it unsubscribes.
     */
    static AutoCloseable subscribe(RedisClient redis, String channel, String node, Consumer<Envelope> onMessage) {
        AtomicReference<JedisPubSub> current = new AtomicReference<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        boolean[] closed = {false};
        Thread thread = new Thread(() -> {
            while (!closed[0]) {
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onSubscribe(String ch, int count) {
                        subscribed.countDown();
                    }

                    @Override
                    public void onMessage(String ch, String message) {
                        try {
                            onMessage.accept(RealtimeJson.mapper().readValue(message, Envelope.class));
                        } catch (JsonProcessingException e) {
                            System.out.println(node + ": ignored a message on " + ch + " that is not an envelope: " + e.getOriginalMessage());
                        } catch (RuntimeException e) {
                            System.out.println(node + ": could not deliver a message from " + ch + ": " + e.getMessage());
                        }
                    }
                };
                current.set(pubSub);
                try {
                    redis.subscribe(pubSub, channel);
                } catch (RuntimeException e) {
                    if (closed[0]) {
                        return;
                    }
                    System.out.println(node + ": lost the subscription to " + channel + " (" + e.getMessage() + "); retrying in 1 s");
                    try {
                        Thread.sleep(1000);   // back off before subscribing again while Redis is down
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "bus-" + node);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(node + " could not subscribe to " + channel + " within 10 s: is Redis up?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to " + channel, e);
        }
        return () -> {
            closed[0] = true;
            JedisPubSub pubSub = current.get();
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
            thread.join(5000);
        };
    }

    /** Closes a subscription, saying so when that fails instead of throwing from a server's stop. */
    static void closeQuietly(AutoCloseable subscription, String channel) {
        try {
            subscription.close();
        } catch (Exception e) {
            System.out.println("could not unsubscribe from " + channel + ": " + e);
        }
    }
}
