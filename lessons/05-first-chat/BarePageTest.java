import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** Part one's page, bare.html, in Chromium: served by the web server, talking to a BareChat on its own port. */
class BarePageTest {
    private static final Duration WAIT = BareChatTest.WAIT;

    @RegisterExtension
    static final SharedBrowser BROWSER = new SharedBrowser();

    private RealtimeFixture web;
    private BareChat chat;

    @BeforeEach
    void startServers() throws InterruptedException {
        web = RealtimeFixture.start(FirstChat::configure, null); // only serves the pages
        chat = BareChatTest.start(line -> { });
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        try {
            TwoChats.stop(chat);
        } finally {
            web.close();
        }
    }

    /** Opens bare.html and waits until its status says "connected"; fails at once when the page stopped at TODO 4. */
    private BrowserPage openChat() {
        BrowserPage page = BROWSER.open(web.url() + "/bare.html?ws=" + chat.getPort());
        awaitStatus(page, "connected");
        return page;
    }

    private static void awaitStatus(BrowserPage page, String status) {
        page.awaitScript("document.querySelector('#status').textContent.startsWith(" + quote(status) + ")"
                + " || /TODO 4/.test(document.querySelector('#error').textContent)", WAIT);
        String error = page.text("#error");
        if (error.contains("TODO 4")) {
            throw new AssertionError("The page stopped at an unfinished TODO: " + error);
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Waits until the chat list shows {@code text}; stops at once when the page reports an unfinished TODO. */
    private static void awaitMessage(BrowserPage page, String text) {
        PageWaits.awaitMessage(page, "#messages", "#error", text, WAIT);
    }

    @Test
    @Tag("task:4")
    @DisplayName("the page opens a WebSocket, shows \"connected\", sends what you type as JSON, and shows \"disconnected\" when the server stops")
    void pageConnectsSendsAndCloses() throws InterruptedException {
        BareChatTest.Client other = BareChatTest.Client.connect(chat);
        try {
            other.await("its welcome", f -> "welcome".equals(f.path("type").asText()));
            BrowserPage page = openChat();
            page.type("#message", "hello from the browser").click("#send");
            other.await("the page's message as a chat frame from user 2", f -> "chat".equals(f.path("type").asText())
                    && f.path("from").asInt() == 2 && "hello from the browser".equals(f.path("text").asText()));
            TwoChats.stop(chat);
            awaitStatus(page, "disconnected");
        } finally {
            other.closeBlocking();
        }
    }

    @Test
    @Tag("task:5")
    @DisplayName("two tabs chat: each shows its own messages as \"You\" and the other's as \"User N\"")
    void twoTabsChat() {
        WebDriver driver = BROWSER.browser().driver();
        BrowserPage alice = openChat();
        PageWaits.awaitMessage(alice, "#me", "#error", "User 1", WAIT);
        String aliceTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String bobTab = driver.getWindowHandle();
        try {
            BrowserPage bob = openChat();
            bob.type("#message", "Hi Alice, Bob here").click("#send");
            awaitMessage(bob, "You: Hi Alice, Bob here");
            driver.switchTo().window(aliceTab);
            awaitMessage(alice, "User 2: Hi Alice, Bob here");
            alice.type("#message", "Hello Bob! <b>not bold</b>").click("#send");
            awaitMessage(alice, "You: Hello Bob! <b>not bold</b>");
            driver.switchTo().window(bobTab);
            awaitMessage(bob, "User 1: Hello Bob! <b>not bold</b>");
            assertThat(bob.count("#messages li")).as("lines in Bob's tab: his message and Alice's").isEqualTo(2);
            driver.switchTo().window(aliceTab);
            assertThat(alice.count("#messages li")).as("lines in Alice's tab: Bob's message and hers").isEqualTo(2);
            Screenshots.save(alice, 5, "screenshot-bare.png");
        } finally {
            driver.switchTo().window(bobTab).close();
            driver.switchTo().window(aliceTab);
        }
    }

    @Test
    @Tag("task:5")
    @DisplayName("a message is shown as text, even one that looks like HTML or a <script>")
    void messagesShownAsText() throws InterruptedException {
        BrowserPage page = openChat();
        BareChatTest.Client other = BareChatTest.Client.connect(chat);
        try {
            other.await("its welcome", f -> "welcome".equals(f.path("type").asText()));
            String attack = "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked = 2\"><b>bold</b>";
            other.send(BareChat.json(Map.of("text", attack)));
            awaitMessage(page, "User " + other.number() + ": " + attack);
            assertThat(page.count("#messages script, #messages img, #messages b")).as("HTML elements created from the message")
                    .isZero();
            assertThat(page.script("return window.hacked === undefined")).as("the message's code did not run").isEqualTo(true);
        } finally {
            other.closeBlocking();
        }
    }
}
