package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;

/**
 * What a page written for the official socket.io 4 browser client does with relaylab's socket.io.js, in
 * a real browser. Subclasses provide the server (the Java core, or the official Node server as a reference).
 */
abstract class BrowserClientScenarios {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** Reconnection waits up to 1.5 s, then 3 s, ... after a restart: room for a few attempts. */
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(15);

    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** The server's base URL, e.g. http://127.0.0.1:40123 (it serves the page at /). */
    abstract String baseUrl();

    /** Stops the server; returns once the port is closed. */
    abstract void stopServer();

    /** Starts the server again on the same port. */
    abstract void startServerAgain();

    BrowserPage openPage(String query) {
        BrowserPage page = browser.open(baseUrl() + "/" + query);
        page.awaitText("#status", query.contains("token=bad") ? "refused" : "connected", WAIT);
        return page;
    }

    @Test
    @DisplayName("The page connects, gets an id and the server's welcome event")
    void connects() {
        BrowserPage page = openPage("");
        page.awaitText("#log", "welcome /", WAIT);
        assertThat(page.text("#sid")).as("socket.id is shown after connect").isNotBlank();
        assertThat(page.script("return socket.connected;")).as("socket.connected").isEqualTo(true);
    }

    @Test
    @DisplayName("An emit with a callback gets the server's acknowledgement")
    void emitWithAck() {
        BrowserPage page = openPage("");
        page.type("#message", "hello from the browser");
        page.click("#send");
        page.awaitText("#log", "ack hello from the browser", WAIT);
    }

    @Test
    @DisplayName("The page answers an event the server sent with an acknowledgement")
    void answersServerAck() {
        BrowserPage page = openPage("");
        page.click("#ask");
        page.awaitText("#log", "question ready?", WAIT);
        page.awaitText("#log", "answer-received browser says ready?", WAIT);
    }

    @Test
    @DisplayName("A refused connection arrives as connect_error with the middleware's message")
    void refused() {
        BrowserPage page = openPage("?token=bad");
        page.awaitText("#log", "connect_error not authorized", WAIT);
        assertThat(page.script("return socket.active;")).as("a refused socket does not retry by itself")
                .isEqualTo(false);
    }

    @Test
    @DisplayName("A second namespace (/admin) connects over the same page")
    void namespace() {
        BrowserPage page = openPage("?admin=1");
        page.awaitText("#admin", "admin connected", WAIT);
        page.awaitText("#log", "admin welcome /admin", WAIT);
    }

    @Test
    @DisplayName("After the server restarts the page reconnects and sends what was emitted meanwhile")
    void reconnectsAndFlushesBuffer() {
        BrowserPage page = openPage("");
        String firstId = page.text("#sid");
        stopServer();
        page.awaitText("#status", "disconnected", WAIT);
        page.awaitText("#log", "disconnect transport", WAIT); // "transport close" or "transport error"
        page.type("#message", "sent while offline");
        page.click("#send");
        startServerAgain();
        page.awaitText("#status", "connected", RECONNECT_WAIT);
        page.awaitText("#log", "ack sent while offline", WAIT);
        assertThat(page.text("#sid")).as("a new connection gets a new id").isNotEqualTo(firstId);
    }
}
