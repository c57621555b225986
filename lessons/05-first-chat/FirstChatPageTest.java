import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
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
import relaylab.realtime.testing.TestClient;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

class FirstChatPageTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        FirstChat.log = line -> { };
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

    @Test
    @Tag("task:3")
    @DisplayName("what you type in the page reaches the other users")
    void pageSendsWhatYouType() {
        try (RealtimeFixture fx = FirstChatTest.chatServer()) {
            TestClient other = fx.client();
            BrowserPage page = openChat(fx);
            page.type("#message", "hello from the browser").click("#send");
            failIfStopped(page);
            other.await("chat", args -> FirstChatTest.isMessage(args, null, "hello from the browser"), WAIT);
        }
    }

    @Test
    @Tag("task:4")
    @DisplayName("a message is shown as text, even one that looks like HTML or a <script>")
    void pageShowsMessagesAsText() {
        try (RealtimeFixture fx = FirstChatTest.chatServer()) {
            TestClient other = fx.client();
            BrowserPage page = openChat(fx);
            String attack = "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked = 2\"><b>bold</b>";
            other.emit("chat", attack);
            awaitMessage(page, attack);
            awaitMessage(page, other.id().substring(0, 6) + ": ");
            assertThat(page.count("#messages script, #messages img, #messages b")).as("HTML elements created from the message")
                    .isZero();
            assertThat(page.script("return window.hacked === undefined")).as("the message's code did not run").isEqualTo(true);
        }
    }

    @Test
    @Tags3And4
    @DisplayName("two browser users chat: each message shows in both tabs, the sender's too")
    void twoBrowserUsersChat() {
        try (RealtimeFixture fx = FirstChatTest.chatServer()) {
            WebDriver driver = browser.driver();
            BrowserPage alice = openChat(fx);
            String aliceTab = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            String bobTab = driver.getWindowHandle();
            try {
                BrowserPage bob = openChat(fx);
                bob.type("#message", "Hi Alice, Bob here").click("#send");
                awaitMessage(bob, "Hi Alice, Bob here");
                driver.switchTo().window(aliceTab);
                awaitMessage(alice, "Hi Alice, Bob here");
                alice.type("#message", "Hello Bob!").click("#send");
                awaitMessage(alice, "Hello Bob!");
                driver.switchTo().window(bobTab);
                awaitMessage(bob, "Hello Bob!");
                driver.switchTo().window(aliceTab);
                Screenshots.save(alice, 5);
            } finally {
                driver.switchTo().window(bobTab).close();
                driver.switchTo().window(aliceTab);
            }
        }
    }

    /** The two-tab chat needs both page tasks. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    @Tag("task:3")
    @Tag("task:4")
    @interface Tags3And4 {
    }
}
