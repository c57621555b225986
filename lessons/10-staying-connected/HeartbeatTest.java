import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.client.RealtimeClient;
import relaylab.realtime.testing.RealtimeFixture;

/** Task 1: the client declares a silent connection dead; the server closes one that stops answering pings. */
@Tag("task:1")
class HeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @DisplayName("the client waits pingInterval + pingTimeout for a ping: 25 s + 20 s = 45 s with socket.io's defaults")
    void deadAfterIsTheSum() {
        assertThat(Heartbeat.deadAfter(Duration.ofSeconds(25), Duration.ofSeconds(20))).as("deadAfter(25 s, 20 s)")
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(Heartbeat.deadAfter(Duration.ofMillis(300), Duration.ofMillis(200))).as("deadAfter(300 ms, 200 ms)")
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("with no ping after the first, onDead runs, and only once")
    void silenceIsDeath() throws InterruptedException {
        AtomicInteger deaths = new AtomicInteger();
        CountDownLatch dead = new CountDownLatch(1);
        Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(100), Duration.ofMillis(100), timers, () -> {
            deaths.incrementAndGet();
            dead.countDown();
        });
        heartbeat.pinged();
        assertThat(await(dead)).as("onDead ran within " + WAIT.toSeconds() + " s of the last ping (due after 200 ms)").isTrue();
        CountDownLatch later = new CountDownLatch(1);
        timers.schedule(later::countDown, 600, TimeUnit.MILLISECONDS);   // three more heartbeat windows
        assertThat(await(later)).isTrue();
        assertThat(deaths.get()).as("times onDead ran for one silence").isEqualTo(1);
    }

    @Test
    @DisplayName("pings that keep coming keep the connection alive, and a stopped heartbeat never fires")
    void pingsKeepItAlive() throws InterruptedException {
        AtomicInteger deaths = new AtomicInteger();
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofSeconds(2)),
                server -> { })) {
            Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(100), Duration.ofSeconds(2), timers, deaths::incrementAndGet);
            CountDownLatch pings = new CountDownLatch(25);
            RealtimeClient client = RealtimeClient.connect(fx.url(), o -> o.reconnection(false));
            try {
                client.onPing(() -> {
                    heartbeat.pinged();
                    pings.countDown();
                });
                assertThat(await(pings)).as("25 pings arrived from a server pinging every 100 ms").isTrue();
                assertThat(deaths.get()).as("times onDead ran while pings kept coming").isZero();
                heartbeat.stop();
            } finally {
                client.disconnect();
            }
            CountDownLatch later = new CountDownLatch(1);
            timers.schedule(later::countDown, 2_500, TimeUnit.MILLISECONDS);
            assertThat(await(later)).isTrue();
            assertThat(deaths.get()).as("times onDead ran after stop()").isZero();
        }
    }

    @Test
    @DisplayName("when the network freezes, nothing is closed, yet the client's heartbeat declares the connection dead")
    void frozenNetwork() throws Exception {
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300)),
                server -> { });
             FlakyProxy proxy = FlakyProxy.start(0, fx.port())) {
            CountDownLatch dead = new CountDownLatch(1);
            Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(200), Duration.ofMillis(300), timers, dead::countDown);
            CountDownLatch firstPing = new CountDownLatch(1);
            RealtimeClient client = RealtimeClient.connect("http://127.0.0.1:" + proxy.port(), o -> o.reconnection(false));
            try {
                client.onPing(() -> {
                    heartbeat.pinged();
                    firstPing.countDown();
                });
                assertThat(await(firstPing)).as("a first ping through the proxy").isTrue();
                proxy.freeze(Duration.ofSeconds(30));
                assertThat(await(dead)).as("the heartbeat declared the frozen connection dead (due 500 ms after the last ping)")
                        .isTrue();
            } finally {
                client.disconnect();
            }
        }
    }

    @Test
    @DisplayName("the server's half: a client that stops answering pings is closed with reason \"ping timeout\", and its heartbeat says dead")
    void serverClosesASilentClient() throws Exception {
        CountDownLatch serverClosed = new CountDownLatch(1);
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300)),
                server -> server.on("connection", socket -> socket.onDisconnect(reason -> {
                    if ("ping timeout".equals(reason)) {
                        serverClosed.countDown();
                    }
                })))) {
            CountDownLatch dead = new CountDownLatch(1);
            Heartbeat heartbeat = new Heartbeat(Duration.ofMillis(200), Duration.ofMillis(300), timers, dead::countDown);
            heartbeat.pinged();
            RealtimeClient frozen = RealtimeClient.connect(fx.url(), o -> o.answerPings(false).reconnection(false));
            try {
                frozen.onPing(heartbeat::pinged);
                assertThat(await(serverClosed)).as("the server closed the silent client with reason \"ping timeout\"").isTrue();
                assertThat(await(dead)).as("the client's heartbeat declared the connection dead once pings stopped").isTrue();
            } finally {
                frozen.disconnect();
            }
        }
    }
}
