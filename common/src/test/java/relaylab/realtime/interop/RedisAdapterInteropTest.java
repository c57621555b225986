package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.Broadcast;
import relaylab.realtime.Namespace;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.redis.RedisAdapter;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.store.LessonRedis;

/**
 * A Node socket.io 4.8 server with the official @socket.io/redis-adapter 8.3 and a Java server with
 * relaylab's RedisAdapter share one Redis: what a client of either asks its server to broadcast reaches the
 * clients of both, rooms and except included. Skipped, with the reason, where node or npm cannot run.
 */
class RedisAdapterInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LessonRedis redis;
    private NodeScript node;
    private RealtimeFixture java;
    private int nodePort;
    private final List<RealtimeClient> clients = new ArrayList<>();
    private final Map<String, Observed> seen = new LinkedHashMap<>();
    private final Map<String, RealtimeClient> byName = new LinkedHashMap<>();

    @BeforeEach
    void start() throws IOException {
        NodeScript.assumeNodeAndPackages();
        String key = "interop-" + UUID.randomUUID();
        redis = LessonRedis.startEmbedded(Files.createTempDirectory("relaylab-interop-redis-"));
        node = NodeScript.start("redis-cluster-server.js", redis.url(), key);
        nodePort = node.await("listening", WAIT).path("port").asInt();
        java = RealtimeFixture.start(cfg -> cfg.adapter(RedisAdapter.factory(redis.client(), key)), server -> server.on("connection", socket -> {
            if (socket.handshake().auth().get("rooms") instanceof List<?> rooms) {
                rooms.forEach(room -> socket.join(String.valueOf(room)));
            }
            socket.on("send", args -> send(socket.namespace(), Boolean.TRUE.equals(command(args).get("fromSocket")) ? socket.broadcast() : null, command(args)));
        }));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> command(List<Object> args) {
        return (Map<String, Object>) args.get(0);
    }

    /** The Java server's side of "send": the same broadcast the Node script makes. */
    @SuppressWarnings("unchecked")
    private static void send(Namespace ns, Broadcast from, Map<String, Object> command) {
        Broadcast b = from;
        for (Object room : (List<Object>) command.getOrDefault("rooms", List.of())) {
            b = b == null ? ns.to(String.valueOf(room)) : b.to(String.valueOf(room));
        }
        for (Object room : (List<Object>) command.getOrDefault("except", List.of())) {
            b = b == null ? ns.except(String.valueOf(room)) : b.except(String.valueOf(room));
        }
        Object[] args = ((List<Object>) command.getOrDefault("args", List.of())).toArray();
        String event = String.valueOf(command.get("event"));
        if (b == null) {
            ns.emit(event, args);
        } else {
            b.emit(event, args);
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(RealtimeClient::close);
        if (java != null) {
            java.close();
        }
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void client(String name, String url, String room) {
        Observed observed = new Observed(name);
        RealtimeClient c = RealtimeClient.connect(url, o -> o.auth(Map.of("rooms", List.of(room))));
        c.onAny((event, args) -> observed.record(event + " " + args));
        c.awaitConnected(WAIT);
        clients.add(c);
        seen.put(name, observed);
        byName.put(name, c);
    }

    private void send(String from, Map<String, Object> command) {
        byName.get(from).emit("send", command);
    }

    /** Sends a marker from {@code from} to everyone and waits until every client has it: all sent before arrived. */
    private void syncFrom(String from, int n) {
        send(from, Map.of("event", "marker", "args", List.of(n)));
        seen.values().forEach(o -> o.await("marker [" + n + "]", WAIT));
    }

    /** Broadcasts from one client's server, repeated until the other server's client hears it (subscriptions are up). */
    private void warmUp(String from, String listener) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; seen.get(listener).count("ready") == 0; i++) {
            assertThat(System.nanoTime()).as(listener + " heard a broadcast of the other server within " + WAIT.toSeconds() + " s").isLessThan(deadline);
            send(from, Map.of("event", "ready", "args", List.of(i)));
            try {
                seen.get(listener).await("ready", Duration.ofMillis(300));
            } catch (AssertionError notYet) {
                // the other server is still subscribing: send again
            }
        }
    }

    @Test
    @DisplayName("broadcasts, room messages and except from a client of either server reach the right clients of both, once")
    void javaAndNodeServersShareBroadcasts() {
        client("java-red", java.url(), "red");
        client("java-muted", java.url(), "muted");
        client("node-red", "http://127.0.0.1:" + nodePort, "red");
        client("node-muted", "http://127.0.0.1:" + nodePort, "muted");
        warmUp("java-red", "node-red");
        warmUp("node-red", "java-red");
        int marker = 0;
        for (String from : List.of("java-muted", "node-muted")) {
            String tag = from.startsWith("java") ? "j" : "n";
            send(from, Map.of("event", "all", "args", List.of(tag, 1, Map.of("k", List.of(true)))));
            send(from, Map.of("event", "room", "args", List.of(tag), "rooms", List.of("red")));
            send(from, Map.of("event", "notMuted", "args", List.of(tag), "except", List.of("muted")));
            send(from, Map.of("event", "others", "args", List.of(tag), "fromSocket", true));
            syncFrom(from, ++marker);
            for (Map.Entry<String, Observed> e : seen.entrySet()) {
                String who = e.getKey();
                Observed o = e.getValue();
                boolean red = who.endsWith("red");
                assertThat(o.countExactly("all [" + tag + ", 1, {k=[true]}]")).as(who + " got the broadcast of " + from).isEqualTo(1);
                assertThat(o.countExactly("room [" + tag + "]")).as(who + " got the room message of " + from).isEqualTo(red ? 1 : 0);
                assertThat(o.countExactly("notMuted [" + tag + "]")).as(who + " got the except(muted) message of " + from).isEqualTo(red ? 1 : 0);
                assertThat(o.countExactly("others [" + tag + "]")).as(who + " got socket.broadcast of " + from).isEqualTo(who.equals(from) ? 0 : 1);
            }
        }
    }
}
