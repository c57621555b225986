import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

/** The rooms page in headless Chromium: two browser users switch rooms and talk (two browsers, shared by the tests). */
class RoomsPageTest {
    @RegisterExtension
    static final SharedBrowser browsers = new SharedBrowser(2);   // two users, ada and bob

    private static UnsupportedOperationException joinFails;
    private RealtimeFixture fx;
    private Rooms app;

    @BeforeAll
    static void probeJoining() {
        // a user who cannot even join the lobby (TODO 1) fails every page test at once: no browser is needed to see that
        Rooms[] probed = new Rooms[1];
        try (RealtimeFixture probe = RealtimeFixture.start(RoomsEvents::configure, server -> probed[0] = new Rooms(server))) {
            probe.client(Map.of("name", "probe"));
            joinFails = probed[0].unfinished.get();
        }
    }

    @BeforeEach
    void startServer() {
        assertThat(joinFails).as("an unfinished TODO the server ran into when a user joined").isNull();
        fx = RealtimeFixture.start(RoomsEvents::configure, server -> app = new Rooms(server));
    }

    @AfterEach
    void stopServer() {
        if (fx != null) {
            fx.close();
        }
    }

    private BrowserPage connect(Browser browser, String name) {
        return connect(browser.open(fx.url() + "/"), name);
    }

    private BrowserPage connect(BrowserPage page, String name) {
        page.clear("#name");
        page.type("#name", name);
        page.click("#connect");
        awaitText(page, "#status", "connected as " + name);
        assertThat(app.unfinished.get()).as("an unfinished TODO the server ran into").isNull();
        awaitText(page, "#room-name", "lobby");
        return page;
    }

    /**
     * Waits like page.awaitText, but fails at once when the server runs into an unfinished TODO meanwhile
     * (the page would wait in vain for a message the handler never sent).
     */
    private void awaitText(BrowserPage page, String css, String text) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!page.text(css).contains(text)) {
            assertThat(app.unfinished.get()).as("an unfinished TODO the server ran into").isNull();
            if (System.nanoTime() > end) {
                page.awaitText(css, text, Duration.ofMillis(1));   // fails, saying what the page shows instead
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for \"" + text + "\" in " + css, e);
            }
        }
    }

    private static void say(BrowserPage page, String text) {
        page.type("#message", text);
        page.click("#send");
    }

    @Test
    @Tag("task:2")
    @DisplayName("in the page, a taken name is refused, and a user switches rooms and then sees only that room's messages")
    void switchRoomsInThePage() {
        BrowserPage ada = connect(browsers.browser(0), "ada");
        BrowserPage bob = browsers.browser(1).open(fx.url() + "/");
        bob.type("#name", "ada");
        bob.click("#connect");
        awaitText(bob, "#login-error", "taken");
        connect(bob, "bob");
        awaitText(ada, "#members", "bob");

        bob.click("#rooms button[data-room='games']");
        awaitText(bob, "#room-name", "games");
        assertThat(bob.text("#rooms button.current")).as("the highlighted room button in bob's page").isEqualTo("games");
        awaitText(ada, "#log", "bob left lobby.");

        say(ada, "hello lobby");
        awaitText(ada, "#log", "hello lobby");
        say(bob, "hello games");
        awaitText(bob, "#log", "hello games");
        assertThat(bob.text("#log")).as("bob's log, in games, after ada spoke in the lobby").doesNotContain("hello lobby");
    }

    @Test
    @Tag("task:4")
    @DisplayName("in the page, a user back in the lobby hears the room, a whisper (/w) reaches one user, and an announcement everyone")
    void whisperAndAnnounceInThePage() {
        BrowserPage ada = connect(browsers.browser(0), "ada");
        BrowserPage bob = connect(browsers.browser(1), "bob");
        bob.click("#rooms button[data-room='games']");
        awaitText(bob, "#room-name", "games");
        bob.click("#rooms button[data-room='lobby']");
        awaitText(ada, "#log", "bob joined lobby.");
        say(ada, "welcome back, bob");
        awaitText(bob, "#log", "welcome back, bob");
        say(bob, "/w ada thanks!");
        awaitText(ada, "#log", "thanks!");
        ada.type("#announcement", "The chat closes at midnight.");
        ada.click("#announce");
        awaitText(bob, "#log", "The chat closes at midnight.");
        Screenshots.save(bob, 8);
    }
}
