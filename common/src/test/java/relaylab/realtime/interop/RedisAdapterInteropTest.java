package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.Broadcast;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.RemoteSocket;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.redis.RedisAdapter;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.store.LessonRedis;

/**
 * A Node socket.io 4.8 server with the official @socket.io/redis-adapter 8.3 and a Java server with
 * relaylab's RedisAdapter share one Redis: what a client of either asks its server to broadcast reaches the
 * clients of both, rooms and except included; each server's fetchSockets, socketsJoin, disconnectSockets and
 * serverSideEmit (with and without ack) reach the other; a request to a stopped (SIGSTOP) Node server times out.
 * Skipped, with the reason, where node or npm cannot run.
 */
class RedisAdapterInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REQUESTS_TIMEOUT = Duration.ofSeconds(3);

    private LessonRedis redis;
    private NodeScript node;
    private RealtimeFixture java;
    private int nodePort;
    private final List<RealtimeClient> clients = new ArrayList<>();
    private final Map<String, Observed> seen = new LinkedHashMap<>();
    private final Map<String, RealtimeClient> byName = new LinkedHashMap<>();
    private final Observed javaServerSide = new Observed("the Java server's server-side handlers");

    @BeforeEach
    void start() throws IOException {
        NodeScript.assumeNodeAndPackages();
        String key = "interop-" + UUID.randomUUID();
        redis = LessonRedis.startEmbedded(Files.createTempDirectory("relaylab-interop-redis-"));
        node = NodeScript.start("redis-cluster-server.js", redis.url(), key);
        nodePort = node.await("listening", WAIT).path("port").asInt();
        java = RealtimeFixture.start(cfg -> cfg.adapter(RedisAdapter.factory(redis.client(), key, REQUESTS_TIMEOUT)), server -> server.on("connection", socket -> {
            if (socket.handshake().auth().get("rooms") instanceof List<?> rooms) {
                rooms.forEach(room -> socket.join(String.valueOf(room)));
            }
            socket.data().put("name", String.valueOf(socket.handshake().auth().get("name")));
            socket.on("send", args -> send(socket.namespace(), Boolean.TRUE.equals(command(args).get("fromSocket")) ? socket.broadcast() : null, command(args)));
        }));
        handleServerSideEmits();
    }

    private void handleServerSideEmits() {
        java.server().of("/").onServerSideEmit("hello", (args, ack) -> {
            javaServerSide.record("hello " + args + (ack.requested() ? " with ack" : ""));
            ack.send("java answers " + args.get(0));
        });
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
        RealtimeClient c = RealtimeClient.connect(url, o -> o.auth(Map.of("rooms", List.of(room), "name", name)));
        c.onAny((event, args) -> observed.record(event + " " + args));
        c.onDisconnect(reason -> observed.record("disconnect " + reason));
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

    private String nodeUrl() {
        return "http://127.0.0.1:" + nodePort;
    }

    /** Four clients, one per server and room, and both servers' subscriptions proven up. */
    private void fourClients() {
        client("java-red", java.url(), "red");
        client("java-muted", java.url(), "muted");
        client("node-red", nodeUrl(), "red");
        client("node-muted", nodeUrl(), "muted");
        warmUp("java-red", "node-red");
        warmUp("node-red", "java-red");
    }

    private static Map<String, RemoteSocket> byDataName(List<RemoteSocket> sockets) {
        Map<String, RemoteSocket> result = new LinkedHashMap<>();
        sockets.forEach(s -> result.put(String.valueOf(s.data().get("name")), s));
        return result;
    }

    /** What the Node server's fetchSockets returned, by socket.data.name. */
    private Map<String, JsonNode> nodeFetch(List<String> rooms) {
        node.send(Map.of("cmd", "fetchSockets", "rooms", rooms));
        Map<String, JsonNode> result = new LinkedHashMap<>();
        node.await("fetched", WAIT).path("sockets").forEach(s -> result.put(s.path("data").path("name").asText(), s));
        return result;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(item -> result.add(item.asText()));
        return result;
    }

    /** Asks the Node server for its sockets' rooms until {@code name}'s include {@code room}. */
    private void awaitNodeRoom(String name, String room) {
        awaitNodeRooms(name, room, true);
    }

    /** Asks the Node server for its sockets' rooms until {@code name}'s no longer include {@code room}. */
    private void awaitNodeRoomGone(String name, String room) {
        awaitNodeRooms(name, room, false);
    }

    private void awaitNodeRooms(String name, String room, boolean in) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            node.send(Map.of("cmd", "rooms"));
            for (JsonNode s : node.await("rooms", WAIT).path("sockets")) {
                if (s.path("name").asText().equals(name) && texts(s.path("rooms")).contains(room) == in) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(name + " on the Node server " + (in ? "joined " : "left ") + room + " within "
                    + WAIT.toSeconds() + " s").isLessThan(deadline);
        }
    }

    private void awaitJava(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WAIT.toSeconds() + " s").isLessThan(deadline);
            try {
                Thread.sleep(20);   // polling a room membership (a state with no event to wait on), not a network event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private RealtimeSocket javaSocket(String name) {
        return java.server().sockets().stream().filter(s -> name.equals(s.data().get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no socket named " + name + " on the Java server"));
    }

    @Test
    @DisplayName("fetchSockets on either server returns the sockets of both (id, rooms, handshake, data), and a fetched socket of the other server can be sent to")
    void fetchSocketsBothWays() throws Exception {
        fourClients();
        Map<String, RemoteSocket> all = byDataName(java.server().fetchSockets().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(all.keySet()).containsExactlyInAnyOrder("java-red", "java-muted", "node-red", "node-muted");
        RemoteSocket nodeRed = all.get("node-red");
        assertThat(nodeRed.id()).isEqualTo(byName.get("node-red").id());
        assertThat(nodeRed.rooms()).containsExactlyInAnyOrder(nodeRed.id(), "red");
        assertThat(nodeRed.handshake().auth()).containsEntry("name", "node-red");
        assertThat(nodeRed.handshake().address()).contains("127.0.0.1");
        assertThat(byDataName(java.server().to("red").fetchSockets().get(WAIT.toSeconds(), TimeUnit.SECONDS)).keySet())
                .as("the Java server's fetch of room red").containsExactlyInAnyOrder("java-red", "node-red");
        nodeRed.emit("direct", "from java");
        seen.get("node-red").await("direct [from java]", WAIT);

        Map<String, JsonNode> fromNode = nodeFetch(List.of());
        assertThat(fromNode.keySet()).containsExactlyInAnyOrder("java-red", "java-muted", "node-red", "node-muted");
        JsonNode javaRed = fromNode.get("java-red");
        assertThat(javaRed.path("id").asText()).isEqualTo(byName.get("java-red").id());
        assertThat(texts(javaRed.path("rooms"))).containsExactlyInAnyOrder(byName.get("java-red").id(), "red");
        assertThat(javaRed.path("auth").path("name").asText()).isEqualTo("java-red");
        assertThat(javaRed.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(nodeFetch(List.of("muted")).keySet()).as("the Node server's fetch of room muted")
                .containsExactlyInAnyOrder("java-muted", "node-muted");
        node.send(Map.of("cmd", "remoteEmit", "name", "java-muted", "event", "direct", "args", List.of("from node")));
        node.await("remoteEmitted", WAIT);
        seen.get("java-muted").await("direct [from node]", WAIT);
        assertThat(seen.get("java-red").count("direct")).as("only the socket fetched got the direct emit").isZero();
    }

    @Test
    @DisplayName("serverSideEmit goes both ways, with and without ack; an ack collects the other server's answer")
    void serverSideEmitBothWays() throws Exception {
        client("java-red", java.url(), "red");
        client("node-red", nodeUrl(), "red");
        warmUp("java-red", "node-red");
        warmUp("node-red", "java-red");
        node.send(Map.of("cmd", "serverSideEmit", "event", "hello", "args", List.of("from node", 1)));
        assertThat(javaServerSide.await("hello", WAIT)).isEqualTo("hello [from node, 1]");
        java.server().serverSideEmit("hello", "from java", 2);
        JsonNode onNode = node.await("server-side", WAIT);
        assertThat(onNode.path("args").toString()).isEqualTo("[\"from java\",2]");
        assertThat(onNode.path("withAck").asBoolean()).isFalse();

        List<Object> answers = java.server().serverSideEmitWithAck("hello", "j").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answers).containsExactly("node answers j");
        node.send(Map.of("cmd", "serverSideEmitWithAck", "event", "hello", "args", List.of("n")));
        assertThat(node.await("acks", WAIT).path("responses").toString()).isEqualTo("[\"java answers n\"]");
        assertThat(javaServerSide.await("hello [n]", WAIT)).isEqualTo("hello [n] with ack");
    }

    @Test
    @DisplayName("socketsJoin, socketsLeave and disconnectSockets called on either server act on the matching sockets of the other")
    void roomsAndDisconnectAcross() {
        fourClients();
        java.server().to("red").socketsJoin("blue");
        awaitNodeRoom("node-red", "blue");
        awaitJava("java-red joined blue", () -> javaSocket("java-red").inRoom("blue"));
        node.send(Map.of("cmd", "socketsJoin", "rooms", List.of("muted"), "room", "green"));
        awaitJava("java-muted joined green (asked by the Node server)", () -> javaSocket("java-muted").inRoom("green"));
        awaitNodeRoom("node-muted", "green");
        node.send(Map.of("cmd", "socketsLeave", "rooms", List.of("green"), "room", "muted"));
        awaitJava("java-muted left muted (asked by the Node server)", () -> !javaSocket("java-muted").inRoom("muted"));
        java.server().to("blue").socketsLeave("red");
        awaitNodeRoomGone("node-red", "red");

        node.send(Map.of("cmd", "disconnectSockets", "rooms", List.of("blue")));
        seen.get("java-red").await("disconnect io server disconnect", WAIT);
        seen.get("node-red").await("disconnect io server disconnect", WAIT);
        java.server().to("green").disconnectSockets();
        seen.get("node-muted").await("disconnect io server disconnect", WAIT);
        seen.get("java-muted").await("disconnect io server disconnect", WAIT);
    }

    @Test
    @DisplayName("a request to a Node server that stopped answering (SIGSTOP) fails after the timeout with a TimeoutException, no hang")
    void stoppedNodeTimesOut() {
        client("java-red", java.url(), "red");
        client("node-red", nodeUrl(), "red");
        warmUp("java-red", "node-red");
        warmUp("node-red", "java-red");
        node.signal("STOP");
        try {
            CompletableFuture<List<RemoteSocket>> fetch = java.server().fetchSockets();
            assertThatThrownBy(() -> fetch.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("fetchSockets got 0 of 1 answers");
            CompletableFuture<List<Object>> ask = java.server().serverSideEmitWithAck("hello", "anyone?");
            assertThatThrownBy(() -> ask.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("got 0 of 1 answers");
        } finally {
            node.signal("CONT");
        }
    }
}
