import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import io.undertow.Undertow;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.store.testing.TestRedis;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

/**
 * The page in two headless Chromiums (two users) through the sticky balancer in front of two nodes. Needs every
 * task: the balancer is the lesson's sticky one (task 5).
 */
@Tag("task:5")
class ScaleOutPageTest {
    private static final int TRIES = 10;
    /** Reconnecting takes the page's backoff (1 s, 2 s, ...) plus the balancer's first try at the stopped node. */
    private static final Duration MOVE = Duration.ofSeconds(20);
    @RegisterExtension
    static final TestRedis redis = new TestRedis();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Node {@code name} on a free port, beating every second so that its pages show the live nodes, with its catch-up log. */
    private RealtimeFixture node(String name) {
        ScaleOut app = new ScaleOut(name, redis.client(), redis.prefix(), 1000);
        RealtimeFixture fx = RealtimeFixture.start(app::configure, server -> server.on("connection", app::onConnection));
        open.add(fx);
        open.add(new CatchUp(redis.client(), redis.prefix(), name, fx.server(), System::currentTimeMillis));
        ScheduledExecutorService beat = ScaleOutCluster.heartbeat(app, fx.server(), line -> { });
        open.add(beat::shutdownNow);
        return fx;
    }

    private static URI uri(RealtimeFixture fx) {
        return URI.create("http://127.0.0.1:" + fx.port());
    }

    /** How many lines of the page's log contain {@code text}. */
    private static long lines(BrowserPage page, String text) {
        return ((Number) page.script("return [...document.querySelectorAll('#log li')].filter(li => li.textContent.includes("
                + "arguments[0])).length;", text)).longValue();
    }

    /** The node the page says it is connected to, once it says one. */
    private static String nodeOf(BrowserPage page) {
        page.awaitScript("document.getElementById('node').textContent !== '…'", "the page to show its node in #node", WAIT);
        return page.text("#node");
    }

    @Test
    @DisplayName("two browsers through the sticky balancer land on different nodes; each page shows its node and the live"
            + " nodes, and a room message said on one node shows on the other; one node stops: its page moves to the"
            + " other node and catches up, each message once")
    void roomMessageCrossesNodes() {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        Map<String, RealtimeFixture> nodes = Map.of("node1", node("node1"), "node2", node("node2"));
        Map<String, URI> hosts = new LinkedHashMap<>();
        hosts.put("node1", uri(nodes.get("node1")));
        hosts.put("node2", uri(nodes.get("node2")));
        Undertow balancer = ScaleOutCluster.balancer(0, hosts, true);   // before any browser: an unfinished task fails here
        open.add(balancer::stop);
        String url = "http://127.0.0.1:" + ScaleOutCluster.port(balancer) + "/";
        try (Browser first = Browser.start(); Browser second = Browser.start()) {
            BrowserPage ada = first.open(url);
            String adaNode = nodeOf(ada);
            BrowserPage bob = second.open(url);
            String bobNode = nodeOf(bob);
            // the page opens a WebSocket at once (no cookie), which the balancer hands to the nodes in turn
            for (int i = 1; i < TRIES && bobNode.equals(adaNode); i++) {
                bob = second.open(url);
                bobNode = nodeOf(bob);
            }
            assertThat(bobNode).as("the node of the second browser, after %d page loads", TRIES).isNotEqualTo(adaNode);
            assertThat(List.of(adaNode, bobNode)).as("the nodes the pages show").containsExactlyInAnyOrder("node1", "node2");
            for (BrowserPage page : List.of(ada, bob)) {
                page.awaitText("#current", "in lobby", WAIT);
                page.awaitText("#nodes", "node1, node2", WAIT);
            }
            ada.type("#text", "hello from " + adaNode);
            ada.click("#say-form button");
            bob.awaitText("#log", "[lobby] hello from " + adaNode, WAIT);
            assertThat(bob.text("#log .via")).as("where the message in the other page came from").isEqualTo("via " + adaNode);
            assertThat(ada.text("#log")).as("the sender's own page").contains("[you] hello from " + adaNode);
            Screenshots.save(bob, 13);

            nodes.get(bobNode).close();   // bob's node goes away: his page reconnects through the balancer to ada's
            ada.type("#text", "said while bob moves");
            ada.click("#say-form button");
            bob.awaitText("#node", adaNode, MOVE);
            bob.awaitText("#log", "caught up:", MOVE);
            bob.awaitText("#log", "said while bob moves", WAIT);
            assertThat(lines(bob, "said while bob moves")).as("lines of the message said while bob moved, live or caught up").isEqualTo(1);
            assertThat(lines(bob, "hello from " + adaNode)).as("lines of the message bob had before he moved").isEqualTo(1);
            assertThat(lines(ada, "disconnected")).as("what ada's page saw of the other node's end").isZero();
        }
    }
}
