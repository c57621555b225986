import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.BrowserPage;
import relaylab.testing.PageWaits;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

class BroadcastPageTest {
    @RegisterExtension
    static final SharedBrowser BROWSER = new SharedBrowser();

    @BeforeAll
    static void quietServerLog() {
        BroadcastChat.log = line -> { };
    }

    /** Waits until the chat list shows {@code text}; stops at once when the page reports an unfinished TODO. */
    static void awaitMessage(BrowserPage page, String text) {
        PageWaits.awaitMessage(page, "#messages", "#status", text, WAIT);
    }

    private static BrowserPage openChat(RealtimeFixture fx) {
        return BROWSER.open(fx.url() + "/").awaitText("#status", "connected", WAIT);
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
    @Tag("task:5")
    @DisplayName("two browser users chat: each sees the other's message once and their own once")
    void twoBrowserUsersChat() {
        try (RealtimeFixture fx = BroadcastChatTest.chatServer()) {
            WebDriver driver = BROWSER.browser().driver();
            BrowserPage alice = openChat(fx);
            String aliceTab = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            String bobTab = driver.getWindowHandle();
            try {
                BrowserPage bob = openChat(fx);
                bob.type("#message", "Hi Alice, Bob here").click("#send");
                PageWaits.failIfStopped(bob, "#status");
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
