import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.testing.RealtimeFixture;

@Tag("task:5")
class WireClientTest {
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private static void handlers(RealtimeServer server) {
        server.on("connection", socket -> {
            socket.emit("welcome", Map.of("text", "hi"));
            socket.on("add", (args, ack) -> ack.send(((Number) args.get(0)).intValue() + ((Number) args.get(1)).intValue()));
        });
    }

    private WireClient connect(RealtimeFixture fx) {
        return WireClient.connect(fx.url(), (event, args) -> events.add(event + " " + args), frames::add);
    }

    @Test
    @DisplayName("your client joins the server's \"/\" namespace and receives the event the server sends it")
    void joinsAndReceivesEvents() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(WireClientTest::handlers);
             WireClient client = connect(fx)) {
            String sid = client.awaitConnected(WAIT);
            assertThat(fx.server().sockets()).as("sockets the server sees on \"/\"").hasSize(1);
            assertThat(sid).as("the id in the server's 40{\"sid\":...} answer")
                    .isEqualTo(fx.server().sockets().iterator().next().id());
            assertThat(events.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the event your client passed to onEvent (frames seen: %s)", frames)
                    .isEqualTo("welcome [{\"text\":\"hi\"}]");
            assertThat(client.problems()).as("frames your client could not read").isEmpty();
        }
    }

    @Test
    @DisplayName("emitWithAck gets the server's answer through your ack table")
    void getsAcks() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(WireClientTest::handlers);
             WireClient client = connect(fx)) {
            client.awaitConnected(WAIT);
            String reply = client.emitWithAck("add", WAIT, 2, 3).get(WAIT.toSeconds(), TimeUnit.SECONDS).toString();
            assertThat(reply).as("the ack of add(2, 3) (frames seen: %s)", frames).isEqualTo("[5]");
        }
    }

    @Test
    @DisplayName("your client answers the server's pings, so the server keeps it connected")
    void answersPings() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofSeconds(1)), WireClientTest::handlers);
             WireClient client = connect(fx)) {
            client.awaitConnected(WAIT);
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.stream().filter("→ 3"::equals).count() < 3) {
                String frame = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(frame).as("the next frame while waiting for 3 pongs (so far: %s)", seen).isNotNull();
                seen.add(frame);
            }
            assertThat(fx.server().sockets()).as("sockets still connected after 3 pings and pongs").hasSize(1);
        }
    }
}
