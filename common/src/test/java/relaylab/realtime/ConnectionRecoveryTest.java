package relaylab.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

/**
 * Connection state recovery between the Java server and the Java client: what comes back after a drop
 * (id, rooms, data, missed events, recovered()), and what does not (no recovery configured, explicit
 * disconnects, forged, expired or reused session ids, offsets that are not kept, acks and volatile events).
 */
class ConnectionRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A server with recovery on; each socket joins "r" and remembers a name in data, and reports what it saw. */
    private static RealtimeFixture server(Duration max, boolean skipMiddlewares, List<String> seen) {
        return RealtimeFixture.start(cfg -> cfg.connectionStateRecovery(max, skipMiddlewares), s -> {
            s.use((socket, next) -> {
                seen.add("middleware");
                next.ok();
            });
            s.on("connection", socket -> {
                seen.add("connection " + socket.id() + " recovered=" + socket.recovered() + " rooms=" + socket.rooms()
                        + " data=" + socket.data());
                if (!socket.recovered()) {
                    socket.join("r");
                    socket.data().put("name", "ada");
                    socket.emit("welcome", "hello");
                }
            });
        });
    }

    /** Drops every connection as a network failure would (reason "transport close" on the server). */
    private static void dropAll(RealtimeFixture fx) {
        for (EngineSession connection : fx.server().connections()) {
            connection.close("transport close");
        }
    }

    private static TestClient fastClient(RealtimeFixture fx) {
        return fx.client(o -> o.reconnectionDelay(Duration.ofMillis(20)).randomizationFactor(0));
    }

    @Test
    @DisplayName("after a drop the client gets its id, rooms and data back, and the events it missed, in order, once")
    void recoversIdRoomsDataAndMissedEvents() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMinutes(2), true, seen)) {
            TestClient client = fastClient(fx);
            List<Object> welcome = client.await("welcome", WAIT);
            assertThat(welcome).as("welcome's arguments: the text, then the offset appended by the server").hasSize(2);
            assertThat(welcome.get(1)).as("the offset of a kept event").isInstanceOf(String.class);
            String id = client.id();
            RealtimeSocket before = fx.server().of("/").socket(id);
            assertThat(client.client().recovered()).as("recovered() on the first connection").isFalse();

            dropAll(fx);
            client.awaitDisconnect(1, WAIT);
            Namespace root = fx.server().of("/");
            root.to("r").emit("to-room", 1);
            root.emit("to-all", 2);
            root.to("elsewhere").emit("to-other-room", 3);
            root.to(id).emit("to-me", 4);
            root.to("r").volatileEmit("volatile", 5);
            before.emit("direct", 6);

            client.awaitConnects(2, WAIT);
            List<List<Object>> toRoom = client.awaitCount("to-room", 1, WAIT);
            client.await("direct", WAIT);
            fx.sync();
            assertThat(client.id()).as("the id after recovery").isEqualTo(id);
            assertThat(client.client().recovered()).as("the client's recovered()").isTrue();
            RealtimeSocket after = root.socket(id);
            assertThat(after.recovered()).as("the server socket's recovered()").isTrue();
            assertThat(after.rooms()).as("rooms after recovery").contains("r");
            assertThat(after.data()).as("data after recovery").containsEntry("name", "ada");
            assertThat(toRoom.get(0).get(0)).isEqualTo(1);
            List<String> order = client.received().stream().map(e -> e.name())
                    .filter(n -> List.of("to-room", "to-all", "to-me", "direct", "to-other-room", "volatile").contains(n)).toList();
            assertThat(order).as("missed events received, in the order they were sent, once each")
                    .containsExactly("to-room", "to-all", "to-me", "direct");
            assertThat(client.received("welcome")).as("welcome is not sent again").hasSize(1);
            assertThat(seen).as("what the server saw").containsExactly("middleware",
                    "connection " + id + " recovered=false rooms=[" + id + "] data={}",
                    "connection " + id + " recovered=true rooms=[" + id + ", r] data={name=ada}");
        }
    }

    @Test
    @DisplayName("with skipMiddlewares false a recovered socket goes through the middlewares again")
    void middlewaresAgainWhenAsked() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMinutes(2), false, seen)) {
            TestClient client = fastClient(fx);
            client.await("welcome", WAIT);
            dropAll(fx);
            client.awaitConnects(2, WAIT);
            assertThat(client.client().recovered()).as("recovered()").isTrue();
            assertThat(seen.stream().filter("middleware"::equals).count()).as("middleware runs").isEqualTo(2);
        }
    }

    @Test
    @DisplayName("off by default: no pid in the CONNECT answer, no offset appended, a new id after a drop")
    void offByDefault() {
        try (RealtimeFixture fx = RealtimeFixture.start(s -> s.on("connection", socket -> socket.emit("welcome", "hello")))) {
            RawWebSocket raw = RawWebSocket.open(fx.port());
            raw.next(WAIT);
            raw.send("40");
            assertThat(raw.next(WAIT)).as("CONNECT answer without recovery").matches("40\\{\"sid\":\"[^\"]+\"}");
            assertThat(raw.next(WAIT)).as("an event without recovery").isEqualTo("42[\"welcome\",\"hello\"]");
            raw.close();
            TestClient client = fastClient(fx);
            String id = client.id();
            dropAll(fx);
            client.awaitConnects(2, WAIT);
            assertThat(client.id()).as("id after a drop without recovery").isNotEqualTo(id);
            assertThat(client.client().recovered()).isFalse();
        }
    }

    @Test
    @DisplayName("the wire: 40{sid,pid}, the offset as the last argument, and 40{pid,offset} recovers only that session, once")
    void wireFormatAndTakeOnce() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMinutes(2), true, seen)) {
            RawWebSocket first = RawWebSocket.open(fx.port());
            first.next(WAIT);
            first.send("40");
            Map<?, ?> answer = json(first.next(WAIT).substring(2), Map.class);
            assertThat(answer.keySet().stream().map(String::valueOf).toList()).as("keys of the CONNECT answer").containsExactly("sid", "pid");
            List<?> welcome = json(first.next(WAIT).substring(2), List.class);
            assertThat(welcome).as("the welcome event: name, argument, offset").hasSize(3);
            String offset = (String) welcome.get(2);
            dropAll(fx);
            assertThat(first.awaitClosed(WAIT)).isTrue();

            RawWebSocket back = RawWebSocket.open(fx.port());
            back.next(WAIT);
            back.send("40{\"pid\":\"" + answer.get("pid") + "\",\"offset\":\"" + offset + "\"}");
            assertThat(json(back.next(WAIT).substring(2), Map.class)).as("CONNECT answer on recovery: same sid and pid")
                    .isEqualTo(answer);

            try (LogCapture log = LogCapture.of("relaylab.realtime")) {
                RawWebSocket thief = RawWebSocket.open(fx.port());
                thief.next(WAIT);
                thief.send("40{\"pid\":\"" + answer.get("pid") + "\",\"offset\":\"" + offset + "\"}");
                Map<?, ?> fresh = json(thief.next(WAIT).substring(2), Map.class);
                assertThat(fresh.get("sid")).as("sid for a second CONNECT with a pid that was resumed already")
                        .isNotEqualTo(answer.get("sid"));
                thief.close();
                assertThat(log.containing("could not recover")).as("INFO lines: " + log.describe()).hasSize(1);
            }
            back.close();
        }
    }

    @Test
    @DisplayName("a forged pid, an offset from the future or a garbled one: a fresh session, logged at INFO, no error")
    void forgedOrFutureGetsAFreshSession() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMinutes(2), true, seen); LogCapture log = LogCapture.of("relaylab.realtime")) {
            RawWebSocket first = RawWebSocket.open(fx.port());
            first.next(WAIT);
            first.send("40");
            Map<?, ?> answer = json(first.next(WAIT).substring(2), Map.class);
            String offset = (String) json(first.next(WAIT).substring(2), List.class).get(2);
            String future = offset.substring(0, offset.lastIndexOf('-') + 1) + "999999";
            dropAll(fx);
            assertThat(first.awaitClosed(WAIT)).isTrue();
            for (String auth : List.of("{\"pid\":\"forged\",\"offset\":\"" + offset + "\"}",
                    "{\"pid\":\"" + answer.get("pid") + "\",\"offset\":\"" + future + "\"}")) {
                RawWebSocket raw = RawWebSocket.open(fx.port());
                raw.next(WAIT);
                raw.send("40" + auth);
                Map<?, ?> fresh = json(raw.next(WAIT).substring(2), Map.class);
                assertThat(fresh.get("sid")).as("sid for CONNECT " + auth).isNotEqualTo(answer.get("sid"));
                assertThat(fresh.get("pid")).as("pid for CONNECT " + auth).isNotEqualTo(answer.get("pid")).isNotNull();
                assertThat(raw.next(WAIT)).as("a fresh socket gets the welcome of a new one").contains("welcome");
                raw.close();
            }
            assertThat(log.containing("could not recover")).as("INFO lines about refused recoveries: " + log.describe())
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.getLevel().getName()).isEqualTo("INFO"));
            assertThat(log.containing("no session \"forged\"")).as("the forged pid is named").hasSize(1);
            assertThat(log.containing("not among the kept events")).as("the future offset is named").hasSize(1);
        }
    }

    @Test
    @DisplayName("an explicit disconnect is not recoverable, and a session expires after maxDisconnection")
    void explicitDisconnectAndExpiry() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMillis(150), true, seen)) {
            RawWebSocket raw = RawWebSocket.open(fx.port());
            raw.next(WAIT);
            raw.send("40");
            Map<?, ?> answer = json(raw.next(WAIT).substring(2), Map.class);
            String offset = (String) json(raw.next(WAIT).substring(2), List.class).get(2);
            raw.send("41");   // the client leaves on purpose
            fx.sync();
            assertThat(fx.server().recovery.sessionCount()).as("sessions kept after an explicit disconnect").isZero();
            raw.close();

            TestClient late = fx.client(o -> o.reconnectionDelay(Duration.ofMillis(600)).randomizationFactor(0));
            late.await("welcome", WAIT);
            String id = late.id();
            dropAll(fx);
            late.awaitConnects(2, WAIT);   // 600 ms later: the 150 ms session has expired
            assertThat(late.client().recovered()).as("recovered() after coming back too late").isFalse();
            assertThat(late.id()).as("id after coming back too late").isNotEqualTo(id);
            assertThat(answer.get("pid")).as("pid of the first connection").isNotNull();
            assertThat(offset).isNotBlank();
        }
    }

    @Test
    @DisplayName("events with an ack are not kept and carry no offset")
    void acksAreNotKept() {
        AtomicInteger answered = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = server(Duration.ofMinutes(2), true, seen)) {
            TestClient client = fastClient(fx);
            client.client().on("question", (args, ack) -> {
                answered.incrementAndGet();
                ack.send("yes");
            });
            client.await("welcome", WAIT);
            RealtimeSocket socket = fx.server().of("/").socket(client.id());
            assertThat(socket.emitWithAck("question", WAIT, "sure?").join()).containsExactly("yes");
            assertThat(client.received("question").get(0)).as("arguments of an event with an ack").containsExactly("sure?");
        }
    }

    private static <T> T json(String text, Class<T> type) {
        try {
            return RealtimeJson.MAPPER.readValue(text, type);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
