import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

/**
 * The page in headless Chromium, two tabs behind the flaky proxy: cut the network, type while offline,
 * restore it, and every message is on both screens exactly once (task 4); the status line tells what is
 * going on (task 5).
 */
class StayingConnectedPageTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @RegisterExtension
    static final SharedBrowser FIRST = new SharedBrowser();
    @RegisterExtension
    static final SharedBrowser SECOND = new SharedBrowser();
    private RealtimeFixture fx;
    private StayingConnected app;
    private FlakyProxy proxy;

    @BeforeEach
    void start() throws Exception {
        fx = RealtimeFixture.start(StayingConnected::configure, server -> app = new StayingConnected(server));
        proxy = FlakyProxy.start(0, fx.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        fx.close();
    }

    /** Opens the page as {@code name} and waits until it is connected; loads it once more if the first load failed. */
    private BrowserPage open(SharedBrowser browser, String name) {
        String url = "http://127.0.0.1:" + proxy.port() + "/?name=" + name;
        BrowserPage page = browser.open(url);
        if (!Boolean.TRUE.equals(page.script("return typeof socket !== 'undefined'"))) {
            page = browser.open(url);   // e.g. a page load cut short on a busy machine; a broken page fails below
        }
        try {
            page.awaitScript("typeof socket !== 'undefined' && socket.connected", WAIT);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("the page at " + url + " did not connect within " + WAIT.toSeconds() + " s; it shows \""
                    + page.script("return document.title + ' | ' + document.body.innerText.slice(0, 200)")
                    + "\"; its console said: " + page.console(), e);
        }
        return page;
    }

    private static void say(BrowserPage page, String text) {
        page.type("#message", text);
        page.click("#send");
    }

    /** How many times the text is on the page's screen (0, 1, or more when shown twice). */
    private static long times(BrowserPage page, String text) {
        return ((Number) page.script("return [...document.querySelectorAll('#messages .message .text')]"
                + ".filter((e) => e.textContent === arguments[0]).length", text)).longValue();
    }

    private static void awaitShown(BrowserPage page, String text) {
        page.awaitScript("[...document.querySelectorAll('#messages .message .text')].some((e) => e.textContent === "
                + "'" + text + "') || !document.getElementById('problem').hidden", WAIT);
        assertThat(page.script("const p = document.getElementById('problem'); return p.hidden ? '' : p.textContent;"))
                .as("the error banner of the page").isEqualTo("");
    }

    private void cut(BrowserPage... pages) {
        proxy.cut();
        for (BrowserPage page : pages) {
            page.awaitScript("!socket.connected", WAIT);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("cut the network, type in both tabs while offline, restore it: every message is in both tabs exactly once")
    void exactlyOnceAcrossACut() {
        BrowserPage ada = open(FIRST, "ada");
        BrowserPage bob = open(SECOND, "bob");
        say(ada, "before the cut");
        awaitShown(bob, "before the cut");
        cut(ada, bob);
        say(ada, "typed offline by ada");
        say(bob, "typed offline by bob");
        app.post("server-1", "server", "said while both were away");
        assertThat(ada.text("#count")).as("ada's count while offline").contains("1 waiting to be sent");
        proxy.restore();
        for (BrowserPage page : new BrowserPage[] {ada, bob}) {
            for (String text : new String[] {"before the cut", "typed offline by ada", "typed offline by bob", "said while both were away"}) {
                awaitShown(page, text);
            }
        }
        ada.awaitScript("document.getElementById('count').textContent.startsWith('sent 2,')", WAIT);
        for (BrowserPage page : new BrowserPage[] {ada, bob}) {
            for (String text : new String[] {"before the cut", "typed offline by ada", "typed offline by bob", "said while both were away"}) {
                assertThat(times(page, text)).as("times \"" + text + "\" is on a tab's screen").isEqualTo(1);
            }
            assertThat(page.count("#messages .message")).as("messages on a tab's screen").isEqualTo(4);
            assertThat(page.text("#count")).as("a tab's running count").contains("received 4, lost 0, duplicated 0");
        }
        assertThat(ada.text("#count")).as("ada's running count").startsWith("sent 2, received 4");
    }

    @Test
    @Tag("task:4")
    @DisplayName("a tab that reloads gets the history once, and repeats of it are skipped, not shown")
    void historyOnce() {
        BrowserPage ada = open(FIRST, "ada");
        say(ada, "first");
        say(ada, "second");
        awaitShown(ada, "second");
        ada.script("socket.emit('say', {id: 'dup', text: 'third'}); socket.emit('say', {id: 'dup', text: 'third'});");
        awaitShown(ada, "third");
        BrowserPage late = open(SECOND, "late");
        awaitShown(late, "third");
        assertThat(late.count("#messages .message")).as("messages on the late tab's screen").isEqualTo(3);
        assertThat(times(ada, "third")).as("times the message sent twice with one id is on ada's screen").isEqualTo(1);
    }

    @Test
    @Tag("task:5")
    @DisplayName("the status line: connected, then reconnecting in N s (attempt k) while cut, then back with what was recovered")
    void statusLine() {
        BrowserPage ada = open(FIRST, "ada");
        say(ada, "before the cut");
        awaitShown(ada, "before the cut");   // now ada has an offset to come back with
        ada.awaitText("#status", "connected", WAIT);
        cut(ada);
        ada.awaitScript("/^reconnecting in \\d+\\.\\d s \\(attempt \\d+\\)$/.test(document.getElementById('status').textContent)", WAIT);
        ada.awaitScript("/\\(attempt [2-9]\\)/.test(document.getElementById('status').textContent)", WAIT);
        app.post("while-away-1", "server", "missed one");
        app.post("while-away-2", "server", "missed two");
        app.post("while-away-3", "server", "missed three");
        proxy.restore();
        ada.awaitText("#status", "back, 3 missed messages recovered", WAIT);
        assertThat(ada.text("#status")).as("the status line after the restore").isEqualTo("back, 3 missed messages recovered");
        Screenshots.save(ada, 10);
    }
}
