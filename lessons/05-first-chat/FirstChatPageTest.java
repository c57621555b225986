import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        FirstChat.log = line -> { };
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
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
            page.awaitText("#messages", attack, WAIT);
            page.awaitText("#messages", other.id().substring(0, 6) + ": ", WAIT);
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
                bob.awaitText("#messages", "Hi Alice, Bob here", WAIT);
                driver.switchTo().window(aliceTab);
                alice.awaitText("#messages", "Hi Alice, Bob here", WAIT);
                alice.type("#message", "Hello Bob!").click("#send");
                alice.awaitText("#messages", "Hello Bob!", WAIT);
                driver.switchTo().window(bobTab);
                bob.awaitText("#messages", "Hello Bob!", WAIT);
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
