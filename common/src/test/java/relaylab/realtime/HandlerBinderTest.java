package relaylab.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerBinderTest {
    record Point(int x, int y) {
    }

    static final class Typed {
        final List<Object> got = new CopyOnWriteArrayList<>();

        @OnEvent("types")
        void types(List<Integer> numbers, Map<String, Object> map, JsonNode node, long big, double d, boolean flag,
                   Point point, Ack ack, Handshake handshake, byte[] missing) {
            got.add(numbers.get(0) + numbers.get(1));
            got.add(map.get("k"));
            got.add(node.get("deep").asText());
            got.add(big);
            got.add(d);
            got.add(flag);
            got.add(point);
            got.add(missing);
            ack.send("done", handshake.auth().get("who"));
        }

        @OnEvent("needs-int")
        void needsInt(int value, Ack ack) {
            ack.send(value);
        }

        @OnEvent("point")
        static void point(Point p, Ack ack) {
            ack.send(p.x() + p.y());
        }
    }

    @Test
    @DisplayName("data parameters are converted from JSON to the declared types; missing trailing objects are null")
    void conversion() {
        Typed typed = new Typed();
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.register(typed))) {
            TestClient c = fx.client(Map.of("who", "ann"));
            List<Object> ack = c.ack("types", List.of(1, 2), Map.of("k", "v"), Map.of("deep", "x"), 5_000_000_000L, 1.5, true,
                    Map.of("x", 3, "y", 4));
            assertThat(ack).containsExactly("done", "ann");
            assertThat(typed.got).containsExactly(3, "v", "x", 5_000_000_000L, 1.5, true, new Point(3, 4), null);
            assertThat(c.ack("point", Map.of("x", 1, "y", 2))).containsExactly(3);
        }
    }

    @Test
    @DisplayName("an argument that does not fit the parameter is logged and the handler is skipped; the connection goes on")
    void conversionFailure() {
        try (RealtimeFixture fx = RealtimeFixture.start(server -> server.register(new Typed()))) {
            TestClient c = fx.client();
            assertThat(c.emitWithAck("needs-int", Duration.ofMillis(300), "not a number")).failsWithin(Duration.ofSeconds(5));
            assertThat(c.emitWithAck("needs-int", Duration.ofMillis(300))).as("a missing int argument").failsWithin(Duration.ofSeconds(5));
            assertThat(c.ack("needs-int", 7)).containsExactly(7);
        }
    }

    static final class TwoAcks {
        @OnEvent("x")
        void x(Ack a, Ack b) {
        }
    }

    static final class ConnectWithString {
        @OnConnect
        void c(String name) {
        }
    }

    static final class DisconnectTwoStrings {
        @OnDisconnect
        void d(String reason, String other) {
        }
    }

    static final class Both {
        @OnConnect
        @OnDisconnect
        void both(RealtimeSocket s) {
        }
    }

    static final class Reserved {
        @OnEvent("disconnect")
        void r() {
        }
    }

    static final class Abstract {
        @OnEvent("x")
        void x(java.util.function.Supplier<String> supplier) {
        }
    }

    @Test
    @DisplayName("every unbindable signature is rejected at registration with Class.method and the parameter")
    void rejections() {
        RealtimeServer server = RealtimeServer.create();
        try {
            assertThatThrownBy(() -> server.register(new TwoAcks())).hasMessageContaining("TwoAcks.x").hasMessageContaining("'b'");
            assertThatThrownBy(() -> server.register(new ConnectWithString())).hasMessageContaining("ConnectWithString.c")
                    .hasMessageContaining("'name'").hasMessageContaining("@OnConnect");
            assertThatThrownBy(() -> server.register(new DisconnectTwoStrings())).hasMessageContaining("DisconnectTwoStrings.d")
                    .hasMessageContaining("'other'");
            assertThatThrownBy(() -> server.register(new Both())).hasMessageContaining("Both.both");
            assertThatThrownBy(() -> server.register(new Reserved())).hasMessageContaining("Reserved.r");
            assertThatThrownBy(() -> server.register(new Abstract())).hasMessageContaining("Abstract.x").hasMessageContaining("'supplier'");
            assertThatThrownBy(() -> server.register(new Object())).hasMessageContaining("no @OnConnect");
            assertThatThrownBy(() -> server.on("chat", s -> { })).hasMessageContaining("only has the \"connection\" event");
        } finally {
            server.stop();
        }
    }

    static final class ServerSide {
        final List<Object> got = new CopyOnWriteArrayList<>();

        @OnServerSideEmit("config")
        void config(Point point, String name, Ack ack) {
            got.add(point);
            got.add(name);
            ack.send("ok " + name, "not sent: only the first argument travels");
        }

        @OnServerSideEmit("boom")
        void boom() {
            throw new IllegalStateException("boom on purpose");
        }
    }

    static final class ServerSideWithSocket {
        @OnServerSideEmit("x")
        void x(RealtimeSocket socket) {
        }
    }

    @Test
    @DisplayName("@OnServerSideEmit methods get the other server's arguments converted and its Ack; a socket parameter is rejected; a throwing one is logged")
    void serverSideEmitHandlers() {
        RealtimeServer server = RealtimeServer.create();
        ServerSide handlers = new ServerSide();
        List<Object> acked = new CopyOnWriteArrayList<>();
        try (LogCapture log = LogCapture.of("relaylab.realtime")) {
            server.register(handlers);
            server.of("/").dispatchServerSideEmit("config", List.of(Map.of("x", 1, "y", 2), "blue"), args -> acked.add(List.of(args)));
            assertThat(handlers.got).containsExactly(new Point(1, 2), "blue");
            assertThat(acked).containsExactly(List.of("ok blue", "not sent: only the first argument travels"));
            server.of("/").dispatchServerSideEmit("boom", List.of(), Ack.NONE);
            assertThat(log.containing("boom on purpose")).as("the handler's exception is logged: " + log.describe()).isNotEmpty();
            assertThatThrownBy(() -> server.register(new ServerSideWithSocket())).hasMessageContaining("ServerSideWithSocket.x")
                    .hasMessageContaining("'socket'").hasMessageContaining("@OnServerSideEmit");
            assertThatThrownBy(() -> server.serverSideEmit("connection")).hasMessageContaining("reserved");
        } finally {
            server.stop();
        }
    }
}
