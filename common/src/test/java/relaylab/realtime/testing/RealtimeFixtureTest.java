package relaylab.realtime.testing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealtimeFixtureTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static RealtimeFixture chat() {
        return RealtimeFixture.start(server -> server.on("connection", socket -> {
            socket.on("join", args -> socket.join((String) args.get(0)));
            socket.on("say", args -> socket.to((String) args.get(0)).emit("said", args.get(1)));
        }));
    }

    @Test
    @DisplayName("await fails after its deadline with a message that lists what the client did receive")
    void awaitFailureListsReceived() {
        try (RealtimeFixture fx = chat()) {
            List<TestClient> c = fx.clients(2);
            c.get(0).emit("join", "r");
            fx.sync();
            c.get(1).emit("say", "r", "hello");
            c.get(0).await("said", WAIT);
            assertThatThrownBy(() -> c.get(0).await("said", args -> "bye".equals(args.get(0)), Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("client 1 did not receive a matching 'said'")
                    .hasMessageContaining("said[hello]");
        }
    }

    @Test
    @DisplayName("sync() then assertNotReceived: a client outside the room honestly did not get the message")
    void syncMakesAbsenceHonest() {
        try (RealtimeFixture fx = chat()) {
            List<TestClient> c = fx.clients(3);
            c.get(0).emit("join", "r");
            fx.sync(); // events of different clients have no order between them: make sure the join is done
            c.get(1).emit("say", "r", "for room r only");
            fx.sync();
            assertThat(c.get(0).received("said")).as("the member got it once").hasSize(1);
            c.get(2).assertNotReceived("said");
            c.get(1).assertNotReceived("said");
            assertThatThrownBy(() -> c.get(0).assertNotReceived("said")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("should not have received 'said'");
            assertThat(c.get(0).received()).extracting(ReceivedEvent::name).as("markers are not recorded").containsExactly("said");
        }
    }

    @Test
    @DisplayName("close() disconnects the clients, stops the server and frees the port")
    void closeStopsEverything() throws Exception {
        RealtimeFixture fx = chat();
        TestClient a = fx.client();
        int port = fx.port();
        fx.close();
        assertThat(a.client().active()).isFalse();
        assertThat(fx.server().connectionCount()).isZero();
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    @DisplayName("awaitCount, clearReceived and the connect/disconnect helpers")
    void helpers() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.on("connection", socket ->
                socket.on("twice", args -> socket.emit("x", 1).emit("x", 2))))) {
            TestClient a = fx.client();
            a.emit("twice");
            assertThat(a.awaitCount("x", 2, WAIT)).containsExactly(List.of(1), List.of(2));
            a.clearReceived();
            assertThat(a.received()).isEmpty();
            fx.server().sockets().forEach(s -> s.disconnect());
            assertThat(a.awaitDisconnected(WAIT)).isEqualTo("io server disconnect");
            assertThatThrownBy(() -> a.awaitConnects(2, Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("io server disconnect");
        }
    }

    @Test
    @DisplayName("socketOf finds a client's socket on its namespace; awaits without a timeout use WAIT")
    void socketOfAndDefaultWaits() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> {
            server.on("connection", socket -> socket.on("ping", args -> socket.emit("pong", Map.of("n", args.get(0)))));
            server.of("/admin").on("connection", socket -> { });
        })) {
            TestClient plain = fx.client();
            TestClient admin = fx.client(o -> o.namespace("/admin"));
            assertThat(fx.socketOf(plain).id()).as("the server socket of the client on /").isEqualTo(plain.id());
            assertThat(fx.socketOf(admin).namespace().name()).as("the namespace of the /admin client's socket").isEqualTo("/admin");
            plain.emit("ping", 1).emit("ping", 2);
            assertThat(EventArgs.first(plain.await("pong"))).containsEntry("n", 1);
            assertThat(plain.await("pong", args -> EventArgs.firstHas(args, "n", 2))).isNotNull();
            assertThat(plain.awaitCount("pong", 2)).hasSize(2);
            admin.close();
            admin.awaitDisconnected(WAIT);
            assertThatThrownBy(() -> fx.socketOf(admin)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the server has no socket for client 2");
        }
    }

    @Test
    @DisplayName("EventArgs.first gives the first argument as a map, or says what arrived instead")
    void eventArgs() {
        assertThat(EventArgs.first(List.of(Map.of("text", "hi"), 2))).containsEntry("text", "hi");
        assertThatThrownBy(() -> EventArgs.first(List.of("hi"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("got String hi");
        assertThatThrownBy(() -> EventArgs.first(List.of())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no arguments");
        assertThat(EventArgs.firstHas(List.of(Map.of("text", "hi", "from", "a")), "text", "hi", "from", "a")).isTrue();
        assertThat(EventArgs.firstHas(List.of(Map.of("text", "hi")), "text", "hi", "from", "a")).as("a missing key").isFalse();
        assertThat(EventArgs.firstHas(List.of("hi"), "text", "hi")).as("not an object").isFalse();
    }
}
