import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import io.undertow.Undertow;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPubSub;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.testing.TestRedis;

/**
 * The nodes over a real Redis (the embedded one, or REDIS_URL): each test has its own key and channel prefix,
 * and starts its nodes on free ports; everything is stopped afterwards.
 */
class ScaleOutTest {
    @RegisterExtension
    static final TestRedis redis = new TestRedis();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A node named {@code name} with its own server on a free port. */
    private record Node(ScaleOut app, RealtimeFixture fx) {
    }

    private Node node(String name) {
        ScaleOut app = new ScaleOut(name, redis.client(), redis.prefix(), 1000);
        RealtimeFixture fx = RealtimeFixture.start(app::configure, server -> server.on("connection", app::onConnection));
        open.add(fx);
        return new Node(app, fx);
    }

    /** Everything published on a channel, as JSON text, from the moment this returns. */
    private BlockingQueue<String> listen(String channel) {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        open.add(ScaleOutCluster.subscribe(redis.client(), channel, "test", e -> seen.add(ScaleOutCluster.json(e))));
        return seen;
    }

    private static String next(BlockingQueue<String> seen) throws InterruptedException {
        String message = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message published on the node's Redis channel within " + WAIT.toSeconds() + " s").isNotNull();
        return message;
    }

    private void publish(Envelope envelope) {
        redis.client().publish(redis.prefix() + "#/#", ScaleOutCluster.json(envelope));
    }

    @Test
    @Tag("task:1")
    @DisplayName("a broadcast is published on <prefix>#/# with the node's name, the event and its arguments, and still reaches local clients")
    void publishesBroadcasts() throws InterruptedException {
        Node a = node("a");
        TestClient local = a.fx().client();
        BlockingQueue<String> seen = listen(redis.prefix() + "#/#");
        a.fx().server().emit("news", "hello", 42);
        assertThat(next(seen)).isEqualTo("{\"node\":\"a\",\"event\":\"news\",\"args\":[\"hello\",42],\"rooms\":[],\"except\":[]}");
        assertThat(local.await("news")).as("the local client still gets the broadcast").containsExactly("hello", 42);
    }

    @Test
    @Tag("task:1")
    @DisplayName("a room broadcast is published with its rooms and excepted rooms; socket.broadcast() excepts the sender's id")
    void publishesRoomsAndExcept() throws InterruptedException {
        Node a = node("a");
        TestClient sender = a.fx().client();
        BlockingQueue<String> seen = listen(redis.prefix() + "#/#");
        a.fx().server().to("games").except("quiet").emit("score", 3);
        assertThat(next(seen)).contains("\"rooms\":[\"games\"]", "\"except\":[\"quiet\"]");
        a.fx().socketOf(sender).broadcast().emit("hi");
        assertThat(next(seen)).contains("\"event\":\"hi\"", "\"except\":[\"" + sender.id() + "\"]");
    }

    @Test
    @Tag("task:2")
    @DisplayName("another node's envelope reaches every local client once; the node's own envelope is ignored")
    void deliversOthersIgnoresOwn() {
        Node a = node("a");
        TestClient c = a.fx().client();
        publish(new Envelope("a", "own", List.of(1), List.of(), List.of()));
        publish(new Envelope("b", "other", List.of("x"), List.of(), List.of()));
        assertThat(c.await("other")).containsExactly("x");
        a.fx().sync();
        assertThat(c.received("other")).as("copies of the other node's broadcast").hasSize(1);
        c.assertNotReceived("own");
    }

    @Test
    @Tag("task:2")
    @DisplayName("an envelope's rooms and excepted rooms decide which local clients get it")
    void deliversByRooms() {
        Node a = node("a");
        TestClient red = a.fx().client();
        TestClient muted = a.fx().client();
        TestClient other = a.fx().client();
        a.fx().socketOf(red).join("red");
        a.fx().socketOf(muted).join("red");
        a.fx().socketOf(muted).join("muted");
        publish(new Envelope("b", "redOnly", List.of(1), List.of("red"), List.of("muted")));
        assertThat(red.await("redOnly")).containsExactly(1);
        a.fx().sync();
        muted.assertNotReceived("redOnly");
        other.assertNotReceived("redOnly");
    }

    @Test
    @Tag("task:2")
    @DisplayName("two nodes: a broadcast on node a reaches node b's clients and a's own, each exactly once")
    void twoNodesBroadcast() {
        Node a = node("a");
        Node b = node("b");
        TestClient onA = a.fx().client();
        TestClient onB = b.fx().client();
        a.fx().server().emit("all", "x");
        assertThat(onA.await("all")).containsExactly("x");
        assertThat(onB.await("all")).containsExactly("x");
        a.fx().sync();
        b.fx().sync();
        assertThat(onA.received("all")).hasSize(1);
        assertThat(onB.received("all")).hasSize(1);
    }

    @Test
    @Tag("task:3")
    @DisplayName("a room message said on node a reaches the room's members on node b, and nobody else")
    void roomsAcrossNodes() {
        Node a = node("a");
        Node b = node("b");
        TestClient ada = a.fx().client();
        TestClient bob = b.fx().client();
        TestClient eve = b.fx().client();
        assertThat(ada.ack("join", "games")).containsExactly("games");
        assertThat(bob.ack("join", "games")).containsExactly("games");
        assertThat(eve.ack("join", "lobby")).containsExactly("lobby");
        ada.emit("say", "gg");
        assertThat(bob.await("message")).as("bob (node b, games) hears ada (node a, games)").singleElement()
                .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("node", "a").containsEntry("room", "games")
                .containsEntry("text", "gg").containsKey("id");
        a.fx().sync();
        b.fx().sync();
        eve.assertNotReceived("message");
        ada.assertNotReceived("message");
    }

    @Test
    @Tag("task:3")
    @DisplayName("after switching rooms a client no longer hears its old room from the other node")
    void switchingRooms() {
        Node a = node("a");
        Node b = node("b");
        TestClient ada = a.fx().client();
        TestClient bob = b.fx().client();
        ada.ack("join", "games");
        bob.ack("join", "games");
        assertThat(bob.ack("join", "lobby")).containsExactly("lobby");
        ada.emit("say", "anyone?");
        a.fx().sync();
        b.fx().sync();
        bob.assertNotReceived("message");
    }

    private static List<Object> texts(List<Object> ackArgs) {
        return ((List<?>) ackArgs.get(0)).stream().<Object>map(m -> ((Map<?, ?>) m).get("text")).toList();
    }

    @Test
    @Tag("task:3")
    @DisplayName("catch-up after a move: another node answers what the room said, from a little before the client's last"
            + " message on, without the client's own; everything kept for an unknown last message")
    void catchUpOnAnotherNode() throws InterruptedException {
        Node a = node("a");
        Node b = node("b");
        CatchUp log = new CatchUp(redis.client(), redis.prefix(), "b", b.fx().server(), System::currentTimeMillis);
        open.add(log);
        TestClient ada = a.fx().client();
        TestClient bob = a.fx().client();
        ada.ack("join", "games");
        bob.ack("join", "games");
        for (String text : List.of("one", "two", "three")) {
            ada.emit("say", text);
        }
        List<List<Object>> seen = bob.awaitCount("message", 3);
        String lastId = (String) ((Map<?, ?>) seen.get(2).get(0)).get("id");
        bob.emit("say", "mine");
        ada.await("message");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (log.since("games", null, List.of()).size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);   // polls the log that node b's subscriber fills, until the deadline
        }
        TestClient carol = b.fx().client();
        assertThat(texts(carol.ack("catchUp", "games", null, List.of()))).as("catch-up without a last message")
                .containsExactly("one", "two", "three", "mine");
        assertThat(texts(carol.ack("catchUp", "games", lastId, List.of(bob.id())))).as("bob's catch-up after \"three\","
                + " as one of his former socket ids").containsExactly("one", "two", "three");
        assertThat(texts(carol.ack("catchUp", "games", "no-such-id", List.of()))).as("catch-up after an unknown message")
                .containsExactly("one", "two", "three", "mine");
        assertThat(texts(carol.ack("catchUp", "lobby", lastId, List.of()))).as("catch-up of a room nobody spoke in").isEmpty();
    }

    @Test
    @Tag("task:4")
    @DisplayName("nodes that beat are live; a node that stops beating is dropped within two heartbeats")
    void heartbeats() {
        ScaleOut a = new ScaleOut("a", redis.client(), redis.prefix(), 1000);
        ScaleOut b = new ScaleOut("b", redis.client(), redis.prefix(), 1000);
        a.heartbeat(10_000);
        b.heartbeat(10_000);
        assertThat(a.liveNodes(10_000)).containsExactly("a", "b");
        a.heartbeat(11_000);
        assertThat(a.liveNodes(11_999)).as("b's last beat is 1.999 heartbeats old").containsExactly("a", "b");
        assertThat(a.liveNodes(12_000)).as("b's last beat is two heartbeats old").containsExactly("a");
    }

    @Test
    @Tag("task:4")
    @DisplayName("a heartbeat removes the entries of dead nodes from Redis, so the set does not grow forever")
    void heartbeatPrunes() {
        ScaleOut a = new ScaleOut("a", redis.client(), redis.prefix(), 1000);
        ScaleOut b = new ScaleOut("b", redis.client(), redis.prefix(), 1000);
        b.heartbeat(10_000);
        a.heartbeat(20_000);
        assertThat(redis.client().zrange(redis.prefix() + ":nodes", 0, -1)).containsExactly("a");
    }

    /** Raw Engine.IO long-polling requests of one session through a balancer; the status and body of each, up to the first refusal. */
    private static List<String> pollThrough(int port, boolean cookies) throws IOException, InterruptedException {
        HttpClient http = cookies ? HttpClient.newBuilder().cookieHandler(new CookieManager()).build() : HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
        String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(open).as("the handshake's open packet").startsWith("0{\"sid\":\"");
        String sid = open.substring(9, open.indexOf('"', 9));
        List<String> answers = new ArrayList<>();
        // connect to "/", read the CONNECT answer, then send two events: four requests of one session
        for (String body : new String[] {"40", null, "42[\"noop\"]", "42[\"noop\"]"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "&sid=" + sid));
            if (body != null) {
                request.POST(HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answers.add(r.statusCode() + " " + r.body());
            if (r.statusCode() != 200) {
                break;   // the session is unknown here: a GET would wait for a ping that never comes
            }
        }
        return answers;
    }

    private Undertow balancer(boolean sticky, Node... nodes) {
        Map<String, URI> hosts = new LinkedHashMap<>();
        for (Node n : nodes) {
            hosts.put(n.app().node, URI.create("http://127.0.0.1:" + n.fx().port()));
        }
        Undertow undertow = ScaleOutCluster.balancer(0, hosts, sticky);
        open.add(undertow::stop);
        return undertow;
    }

    @Test
    @Tag("task:5")
    @DisplayName("without stickiness, a polling session's next requests land on the other node: 400 Session ID unknown")
    void withoutStickiness() throws Exception {
        Undertow plain = balancer(false, node("a"), node("b"));
        assertThat(pollThrough(ScaleOutCluster.port(plain), false)).as("answers to the session's next requests")
                .anySatisfy(answer -> assertThat(answer).startsWith("400").contains("Session ID unknown"));
    }

    @Test
    @Tag("task:5")
    @DisplayName("with sticky sessions, every request of a polling session reaches the node that opened it")
    void withStickiness() throws Exception {
        Undertow sticky = balancer(true, node("a"), node("b"));
        assertThat(pollThrough(ScaleOutCluster.port(sticky), true)).as("answers to the session's next requests")
                .allSatisfy(answer -> assertThat(answer).startsWith("200 "));
    }
}
