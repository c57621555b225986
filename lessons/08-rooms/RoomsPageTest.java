import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

/** The rooms page in headless Chromium: two browser users switch rooms and talk. */
class RoomsPageTest {
    private RealtimeFixture fx;
    private Rooms app;

    @BeforeEach
    void startServer() {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        fx = RealtimeFixture.start(Rooms::configure, server -> app = new Rooms(server));
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
        page.awaitText("#status", "connected as " + name, WAIT);
        assertThat(app.unfinished.get()).as("an unfinished TODO the server ran into").isNull();
        page.awaitText("#room-name", "lobby", WAIT);
        return page;
    }

    private static void say(BrowserPage page, String text) {
        page.type("#message", text);
        page.click("#send");
    }

    @Test
    @Tag("task:2")
    @DisplayName("in the page, a taken name is refused, and a user switches rooms and then sees only that room's messages")
    void switchRoomsInThePage() {
        try (Browser first = Browser.start(); Browser second = Browser.start()) {
            BrowserPage ada = connect(first, "ada");
            BrowserPage bob = second.open(fx.url() + "/");
            bob.type("#name", "ada");
            bob.click("#connect");
            bob.awaitText("#login-error", "taken", WAIT);
            connect(bob, "bob");
            ada.awaitText("#members", "bob", WAIT);

            bob.click("#rooms button[data-room='games']");
            bob.awaitText("#room-name", "games", WAIT);
            assertThat(bob.text("#rooms button.current")).as("the highlighted room button in bob's page").isEqualTo("games");
            ada.awaitText("#log", "bob left lobby.", WAIT);

            say(ada, "hello lobby");
            ada.awaitText("#log", "hello lobby", WAIT);
            say(bob, "hello games");
            bob.awaitText("#log", "hello games", WAIT);
            assertThat(bob.text("#log")).as("bob's log, in games, after ada spoke in the lobby").doesNotContain("hello lobby");

            bob.click("#rooms button[data-room='lobby']");
            ada.awaitText("#log", "bob joined lobby.", WAIT);
            say(ada, "welcome back, bob");
            bob.awaitText("#log", "welcome back, bob", WAIT);
            say(bob, "/w ada thanks!");
            ada.awaitText("#log", "thanks!", WAIT);
            ada.type("#announcement", "The chat closes at midnight.");
            ada.click("#announce");
            bob.awaitText("#log", "The chat closes at midnight.", WAIT);
            Screenshots.save(bob, 8);
        }
    }
}
