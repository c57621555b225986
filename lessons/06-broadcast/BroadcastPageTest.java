import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

class BroadcastPageTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        BroadcastChat.log = line -> { };
        if (Browser.available()) {
            browser = Browser.start();
        }
    }

    @BeforeEach
    void needsBrowser() {
        Assumptions.assumeTrue(browser != null, Browser.unavailableReason());
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * Waits until the chat list shows {@code text}; stops at once when the page's status line reports an
     * unfinished TODO (the page shows script errors there).
     */
    static void awaitMessage(BrowserPage page, String text) {
        try {
            page.awaitScript("document.getElementById('messages').textContent.includes(" + jsString(text) + ")"
                    + " || /TODO \\d/.test(document.getElementById('status').textContent)", WAIT);
        } catch (AssertionError timedOut) {
            throw new AssertionError("Waited " + WAIT.toSeconds() + " s for \"" + text + "\" in #messages but it shows \""
                    + page.text("#messages") + "\". The browser console says: " + page.console(), timedOut);
        }
        failIfStopped(page);
        page.awaitText("#messages", text, Duration.ZERO);
    }

    /** Fails with the page's own words when its status line shows an unfinished TODO. */
    static void failIfStopped(BrowserPage page) {
        String status = page.text("#status");
        if (status.matches("(?s).*TODO \\d.*")) {
            throw new AssertionError("The page stopped at an unfinished TODO: " + status);
        }
    }

    private static String jsString(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot quote " + text, e);
        }
    }

    private static BrowserPage openChat(RealtimeFixture fx) {
        return browser.open(fx.url() + "/").awaitText("#status", "connected", WAIT);
    }

    private static long linesWith(BrowserPage page, String text) {
        return (Long) page.script("return [...document.querySelectorAll('#messages li')]"
                + ".filter(li => li.textContent.includes(arguments[0])).length;", text);
    }

    @Test
    @Tag("task:5")
    @DisplayName("your own message shows once in your page, marked as yours")
    void ownMessageShowsOnce() {
        try (RealtimeFixture fx = BroadcastChatTest.chatServer()) {
            BrowserPage page = openChat(fx);
            page.type("#message", "hello from the page").click("#send");
            awaitMessage(page, "you: hello from the page");
            fx.server().emit("chat", Map.of("from", "server", "text", "a later message"));
            awaitMessage(page, "a later message");
            assertThat(linesWith(page, "hello from the page")).as("lines showing your message").isEqualTo(1);
            assertThat(page.count("#messages li.mine")).as("lines marked as yours (class \"mine\")").isEqualTo(1);
        }
    }

    @Test
    @Tag("task:2")
    @Tag("task:5")
    @DisplayName("two browser users chat: each sees the other's message once and their own once")
    void twoBrowserUsersChat() {
        try (RealtimeFixture fx = BroadcastChatTest.chatServer()) {
            WebDriver driver = browser.driver();
            BrowserPage alice = openChat(fx);
            String aliceTab = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            String bobTab = driver.getWindowHandle();
            try {
                BrowserPage bob = openChat(fx);
                bob.type("#message", "Hi Alice, Bob here").click("#send");
                failIfStopped(bob);
                driver.switchTo().window(aliceTab);
                awaitMessage(alice, "Hi Alice, Bob here");
                alice.type("#message", "Hello Bob!").click("#send");
                driver.switchTo().window(bobTab);
                awaitMessage(bob, "Hello Bob!");
                assertThat(linesWith(bob, "Hi Alice, Bob here")).as("lines in Bob's tab with Bob's message").isEqualTo(1);
                driver.switchTo().window(aliceTab);
                assertThat(linesWith(alice, "Hello Bob!")).as("lines in Alice's tab with Alice's message").isEqualTo(1);
                assertThat(linesWith(alice, "Hi Alice, Bob here")).as("lines in Alice's tab with Bob's message").isEqualTo(1);
                driver.switchTo().window(bobTab);
                Screenshots.save(bob, 6);
            } finally {
                driver.switchTo().window(bobTab).close();
                driver.switchTo().window(aliceTab);
            }
        }
    }
}
