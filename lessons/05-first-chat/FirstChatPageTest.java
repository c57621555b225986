import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.EventArgs.firstHas;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.testing.BrowserPage;
import relaylab.testing.PageWaits;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

class FirstChatPageTest {
    @RegisterExtension
    static final SharedBrowser BROWSER = new SharedBrowser();

    @BeforeAll
    static void quietServerLog() {
        FirstChat.log = line -> { };
    }

    /** Waits until the chat list shows {@code text}; stops at once when the page reports an unfinished TODO. */
    static void awaitMessage(BrowserPage page, String text) {
        PageWaits.awaitMessage(page, "#messages", "#status", text, WAIT);
    }

    private static BrowserPage openChat(RealtimeFixture fx) {
        return BROWSER.open(fx.url() + "/").awaitText("#status", "connected", WAIT);
    }

    @Test
    @Tag("task:8")
    @DisplayName("what you type in the page reaches the other users")
    void pageSendsWhatYouType() {
        try (RealtimeFixture fx = FirstChatTest.chatServer()) {
            TestClient other = fx.client();
            BrowserPage page = openChat(fx);
            page.type("#message", "hello from the browser").click("#send");
            assertThat(page.text("#status")).as("the page's status line after sending").doesNotContain("TODO 8");
            other.await("chat", args -> firstHas(args, "text", "hello from the browser"));
        }
    }

    @Test
    @Tag("task:9")
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
    @Tag("task:9")
    @DisplayName("two browser users chat: each message shows in both tabs, the sender's too")
    void twoBrowserUsersChat() {
        try (RealtimeFixture fx = FirstChatTest.chatServer()) {
            WebDriver driver = BROWSER.browser().driver();
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
}
