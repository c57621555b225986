package relaylab.realtime.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.RedisClient;
import relaylab.realtime.Ack;
import relaylab.realtime.OnServerSideEmit;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.RemoteSocket;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.LessonRedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisAdapterTest {
    private static LessonRedis redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = LessonRedis.startEmbedded(Files.createTempDirectory("relaylab-adapter-"));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static String key() {
        return "test-" + UUID.randomUUID();
    }

    private static RealtimeFixture server(String key) {
        return RealtimeFixture.start(cfg -> cfg.adapter(RedisAdapter.factory(redis.client(), key)), s -> { });
    }

    @Test
    @DisplayName("a broadcast is published as @socket.io/redis-adapter does: msgpack [uid, {type 2, data, nsp}, {rooms, except, flags}] on <key>#/#<room>#")
    void wireFormat() throws Exception {
        String key = key();
        BlockingQueue<Object[]> seen = new LinkedBlockingQueue<>();
        BinaryJedisPubSub listener = new BinaryJedisPubSub() {
            @Override
            public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
                seen.add(new Object[] {new String(channel, StandardCharsets.UTF_8), MsgPack.decode(message)});
            }
        };
        Thread thread = new Thread(() -> redis.client().psubscribe(listener, (key + "#/#*").getBytes(StandardCharsets.UTF_8)));
        thread.start();
        try (RealtimeFixture fx = server(key)) {
            Await.until("the test's subscription", listener::isSubscribed);
            TestClient a = fx.client();
            RealtimeSocket sender = fx.socketOf(a);
            fx.server().to("games").emit("score", 3, "x", Map.of("k", true));
            Object[] first = seen.poll(5, TimeUnit.SECONDS);
            assertThat(first).as("a message on the room channel").isNotNull();
            assertThat(first[0]).isEqualTo(key + "#/#games#");
            String uid = ((RedisAdapter) fx.server().of("/").adapter()).uid();
            assertThat(first[1]).isEqualTo(List.of(uid,
                    Map.of("type", 2L, "data", List.of("score", 3L, "x", Map.of("k", true)), "nsp", "/"),
                    Map.of("rooms", List.of("games"), "except", List.of(), "flags", Map.of())));
            sender.broadcast().except("quiet").volatileEmit("hi");
            Object[] second = seen.poll(5, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(second[0]).as("no single room: the namespace channel").isEqualTo(key + "#/#");
            assertThat(((List<?>) second[1]).get(2)).isEqualTo(Map.of("rooms", List.of(), "except", List.of("quiet", sender.id()),
                    "flags", Map.of("volatile", true)));
        } finally {
            listener.punsubscribe();
            thread.join(5000);
        }
    }

    @Test
    @DisplayName("two servers over one Redis: broadcasts, rooms and except reach the right clients of both, each once")
    void twoServers() {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient a = one.client();
            TestClient b = two.client();
            TestClient c = two.client();
            two.socketOf(b).join("red");
            two.socketOf(c).join("muted");
            one.server().emit("all", "x");
            one.server().to("red").emit("red", "y");
            one.server().except("muted").emit("loud", "z");
            one.socketOf(a).broadcast().emit("fromA", 1);
            assertThat(a.await("all")).containsExactly("x");
            assertThat(b.await("all")).containsExactly("x");
            assertThat(c.await("all")).containsExactly("x");
            assertThat(b.await("red")).containsExactly("y");
            assertThat(b.await("loud")).containsExactly("z");
            assertThat(c.await("fromA")).containsExactly(1);
            one.sync();
            two.sync();
            a.assertNotReceived("red");
            a.assertNotReceived("fromA");
            c.assertNotReceived("red");
            c.assertNotReceived("loud");
            assertThat(List.of(a.received("all"), b.received("all"), c.received("all"))).as("one copy each").allSatisfy(l -> assertThat(l).hasSize(1));
        }
    }

    @Test
    @DisplayName("after Redis stops and starts again, the adapter subscribes again and broadcasts flow between servers")
    void resubscribesAfterRestart() {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient b = two.client();
            one.server().emit("before", 1);
            assertThat(b.await("before")).containsExactly(1);
            redis.stopServer();
            one.server().emit("during", 2);   // Redis is down: local sockets only, and no exception
            redis.startServer();
            RedisAdapter adapterOfTwo = (RedisAdapter) two.server().of("/").adapter();
            Await.until("server two subscribed again", adapterOfTwo::subscribed);
            Await.until("server one subscribed again", ((RedisAdapter) one.server().of("/").adapter())::subscribed);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int sent = 0;
            while (System.nanoTime() < deadline) {
                one.server().emit("after", ++sent);   // pub/sub keeps nothing: send until one arrives
                if (Await.within(Duration.ofMillis(300), () -> !b.received("after").isEmpty())) {
                    break;
                }
            }
            assertThat(b.received("after")).as("broadcasts of server one after the restart reach server two's client").isNotEmpty();
        }
    }

    /** Handlers for the other servers' server-side emits, the annotated way. */
    static final class ClusterHandlers {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @OnServerSideEmit("whoami")
        void whoami(String asker, Ack ack) {
            seen.add("whoami " + asker);
            ack.send("two answers " + asker);
        }
    }

    @Test
    @DisplayName("fetchSockets on one server returns the sockets of both, with id, rooms, handshake and data; a remote socket can be sent to, moved and disconnected")
    void fetchSocketsAcrossServers() throws Exception {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient a = one.client(Map.of("name", "ann"));
            TestClient b = two.client(Map.of("name", "bob"));
            RealtimeSocket bob = two.socketOf(b);
            bob.join("red");
            bob.data().put("score", 7);
            List<RemoteSocket> all = one.server().fetchSockets().get(10, TimeUnit.SECONDS);
            assertThat(all).extracting(RemoteSocket::id).containsExactlyInAnyOrder(a.id(), b.id());
            RemoteSocket remoteBob = all.stream().filter(s -> s.id().equals(b.id())).findFirst().orElseThrow();
            assertThat(remoteBob.rooms()).containsExactlyInAnyOrder(b.id(), "red");
            assertThat(remoteBob.handshake().auth()).containsEntry("name", "bob");
            assertThat(remoteBob.handshake().address()).isEqualTo("127.0.0.1");
            assertThat(remoteBob.data()).containsEntry("score", 7);
            assertThat(one.server().to("red").fetchSockets().get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                    .as("only the members of room red, on either server").containsExactly(b.id());

            remoteBob.emit("hello", "from one");
            assertThat(b.await("hello")).containsExactly("from one");
            remoteBob.join("blue");
            Await.until("bob joined blue on server two", () -> bob.inRoom("blue"));
            remoteBob.leave("red");
            Await.until("bob left red on server two", () -> !bob.inRoom("red"));
            remoteBob.disconnect();
            assertThat(b.awaitDisconnected(RealtimeFixture.WAIT)).isEqualTo("io server disconnect");
            a.assertNotReceived("hello");
            assertThat(a.connected()).as("ann, on server one, stays").isTrue();
        }
    }

    @Test
    @DisplayName("socketsJoin, socketsLeave and disconnectSockets called on one server act on the matching sockets of the other")
    void remoteRoomsAndDisconnect() {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient a = one.client();
            TestClient b = two.client();
            TestClient c = two.client();
            RealtimeSocket bob = two.socketOf(b);
            RealtimeSocket cid = two.socketOf(c);
            bob.join("red");
            one.socketOf(a).join("red");
            one.server().to("red").socketsJoin("blue");
            Await.until("bob (server two) joined blue", () -> bob.inRoom("blue"));
            assertThat(one.socketOf(a).inRoom("blue")).as("ann (server one) joined blue").isTrue();
            one.server().to("blue").socketsLeave("red");
            Await.until("bob left red", () -> !bob.inRoom("red"));
            one.server().to("blue").disconnectSockets();
            assertThat(b.awaitDisconnected(RealtimeFixture.WAIT)).isEqualTo("io server disconnect");
            assertThat(a.awaitDisconnected(RealtimeFixture.WAIT)).isEqualTo("io server disconnect");
            two.sync();
            assertThat(c.connected()).as("carl was not in blue").isTrue();
            assertThat(cid.rooms()).containsExactly(c.id());
        }
    }

    @Test
    @DisplayName("serverSideEmit reaches the other server's handlers, not its own; with ack it collects one answer per other server")
    void serverSideEmitBothWays() throws Exception {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key); RealtimeFixture three = server(key)) {
            BlockingQueue<String> onOne = new LinkedBlockingQueue<>();
            one.server().of("/").onServerSideEmit("note", (args, ack) -> onOne.add("note " + args));
            one.server().of("/").onServerSideEmit("whoami", (args, ack) -> ack.send("one answers " + args.get(0)));
            ClusterHandlers handlers = new ClusterHandlers();
            two.server().register(handlers);
            three.server().of("/").onServerSideEmit("whoami", (args, ack) -> ack.send(Map.of("three", args.get(0))));

            two.server().serverSideEmit("note", 1, Map.of("k", "v"));
            assertThat(onOne.poll(10, TimeUnit.SECONDS)).isEqualTo("note [1, {k=v}]");
            List<Object> answers = one.server().serverSideEmitWithAck("whoami", "ann").get(10, TimeUnit.SECONDS);
            assertThat(answers).containsExactlyInAnyOrder("two answers ann", Map.of("three", "ann"));
            assertThat(handlers.seen.poll(5, TimeUnit.SECONDS)).isEqualTo("whoami ann");
            List<Object> fromTwo = two.server().serverSideEmitWithAck("whoami", "bob").get(10, TimeUnit.SECONDS);
            assertThat(fromTwo).as("two asks: one and three answer, two does not ask itself")
                    .containsExactlyInAnyOrder("one answers bob", Map.of("three", "bob"));
            assertThat(handlers.seen).as("two's own handler is not called for its own emit").isEmpty();
            assertThat(onOne).as("one got nothing more").isEmpty();
        }
    }

    @Test
    @DisplayName("a single server: serverSideEmitWithAck completes with no answers and fetchSockets with its own sockets, at once")
    void singleServer() throws Exception {
        try (RealtimeFixture one = server(key())) {
            TestClient a = one.client();
            assertThat(one.server().serverSideEmitWithAck("anyone").get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(one.server().fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id).containsExactly(a.id());
        }
    }

    @Test
    @DisplayName("a request to a server that never answers (subscribed but stuck) fails with a TimeoutException saying how many answered")
    void deadServerTimesOut() throws Exception {
        String key = key();
        // a stuck server: subscribed to the request channel, so it is counted, but it never answers
        BinaryJedisPubSub stuck = new BinaryJedisPubSub() {
        };
        RedisClient own = redis.newClient();
        Thread thread = new Thread(() -> own.subscribe(stuck, (key + "-request#/#").getBytes(StandardCharsets.UTF_8)));
        thread.start();
        try (RealtimeFixture one = RealtimeFixture.start(cfg -> cfg.adapter(RedisAdapter.factory(redis.client(), key, Duration.ofSeconds(1))),
                s -> { }); RealtimeFixture two = server(key)) {
            Await.until("the stuck subscriber", stuck::isSubscribed);
            TestClient b = two.client();
            two.server().of("/").onServerSideEmit("ping", (args, ack) -> ack.send("pong"));
            CompletableFuture<List<RemoteSocket>> fetch = one.server().fetchSockets();
            assertThatThrownBy(() -> fetch.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("fetchSockets got 1 of 2 answers").hasMessageContaining("1000 ms");
            CompletableFuture<List<Object>> ping = one.server().serverSideEmitWithAck("ping");
            assertThatThrownBy(() -> ping.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("got 1 of 2 answers");
            assertThat(b.connected()).isTrue();
        } finally {
            stuck.unsubscribe();
            thread.join(5000);
            own.close();
        }
    }

    @Test
    @DisplayName("malformed requests and answers on the cluster channels are logged with the channel and ignored; the servers go on answering")
    void malformedRequestsIgnored() throws Exception {
        String key = key();
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(RedisAdapter.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient b = two.client();
            byte[] request = (key + "-request#/#").getBytes(StandardCharsets.UTF_8);
            redis.client().publish(request, "{not json".getBytes(StandardCharsets.UTF_8));
            redis.client().publish(request, new byte[] {(byte) 0xc1});   // never used in MessagePack
            redis.client().publish(request, "{\"uid\":\"x\",\"type\":6,\"data\":[]}".getBytes(StandardCharsets.UTF_8));
            redis.client().publish((key + "-response#/#").getBytes(StandardCharsets.UTF_8), "[1,2]".getBytes(StandardCharsets.UTF_8));
            Await.until("four warnings, twice each (two servers)", () -> warnings.size() >= 8);
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("malformed request on " + key + "-request#/#")
                    .contains("malformed JSON"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("server-side emit without an event name"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("malformed answer on " + key + "-response#/#"));
            assertThat(one.server().fetchSockets().get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id).containsExactly(b.id());
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    @DisplayName("each namespace has its own cluster channels: fetchSockets and serverSideEmit on /admin see /admin only")
    void namespacesApart() throws Exception {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            BlockingQueue<String> onTwo = new LinkedBlockingQueue<>();
            two.server().of("/admin").onServerSideEmit("reload", (args, ack) -> {
                onTwo.add("admin " + args);
                ack.send("admin reloaded");
            });
            two.server().of("/").onServerSideEmit("reload", (args, ack) -> onTwo.add("root " + args));
            TestClient root = two.client();
            TestClient admin = two.client(o -> o.namespace("/admin"));
            assertThat(one.server().of("/admin").fetchSockets().get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                    .containsExactly(admin.id());
            assertThat(one.server().fetchSockets().get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id).containsExactly(root.id());
            assertThat(one.server().of("/admin").serverSideEmitWithAck("reload", 1).get(10, TimeUnit.SECONDS))
                    .containsExactly("admin reloaded");
            assertThat(onTwo.poll(5, TimeUnit.SECONDS)).isEqualTo("admin [1]");
            assertThat(onTwo).as("the root namespace's handler was not called").isEmpty();
        }
    }

    @Test
    @DisplayName("a socket whose data() cannot be written as JSON is still fetched by the other server, without its data")
    void oddDataStillFetched() throws Exception {
        String key = key();
        try (RealtimeFixture one = server(key); RealtimeFixture two = server(key)) {
            TestClient b = two.client();
            TestClient c = two.client();
            two.socketOf(b).data().put("odd", new Object());   // Jackson cannot write a plain Object
            two.socketOf(c).data().put("name", "carl");
            List<RemoteSocket> all = one.server().fetchSockets().get(10, TimeUnit.SECONDS);
            assertThat(all).extracting(RemoteSocket::id).containsExactlyInAnyOrder(b.id(), c.id());
            assertThat(all).filteredOn(s -> s.id().equals(b.id())).singleElement().satisfies(s -> assertThat(s.data()).isEmpty());
            assertThat(all).filteredOn(s -> s.id().equals(c.id())).singleElement().satisfies(s -> assertThat(s.data())
                    .containsEntry("name", "carl"));
        }
    }
}
