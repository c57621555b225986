import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

/**
 * The chat page in headless Chromium: two browser users, one server per test. These tests need the
 * server side (tasks 1 to 5) and prove the page's renderMessage (task 6).
 */
@Tag("task:6")
class ChatAppPageTest {
    @RegisterExtension
    static final SharedBrowser browsers = new SharedBrowser(2);   // two users, each in a browser of their own

    private RealtimeFixture fx;

    @BeforeEach
    void startServer() {
        fx = RealtimeFixture.start(ChatApp::configure, ChatApp::new);
    }

    @AfterEach
    void stopServer() {
        fx.close();
    }

    /** Opens the page and joins as {@code name}; fails at once with the page's error when joining is refused. */
    private BrowserPage join(Browser browser, String name) {
        BrowserPage page = browser.open(fx.url() + "/");
        page.awaitText("#status", "connected", WAIT);
        page.type("#username", name);
        page.click("#join-button");
        page.awaitScript("document.getElementById('status').textContent.includes('connected as')"
                + " || document.getElementById('join-error').textContent !== '' || " + PROBLEM_SHOWN,
                "the page to say \"connected as " + name + "\" in #status (or to show why joining failed)", WAIT);
        assertThat(page.text("#join-error")).as("the error shown when " + name + " joins").isEmpty();
        assertNoProblem(page);
        return page;
    }

    private static final String PROBLEM_SHOWN = "!document.getElementById('problem').hidden";

    /** Waits until {@code css} shows {@code text}; fails at once when the page shows an error (e.g. from TODO 6). */
    private static void awaitShown(BrowserPage page, String css, String text) {
        page.awaitScript("(document.querySelector(" + js(css) + ")?.textContent ?? '').includes(" + js(text) + ") || "
                + PROBLEM_SHOWN, "\"" + text + "\" to show in " + css, WAIT);
        assertNoProblem(page);
    }

    private static void assertNoProblem(BrowserPage page) {
        Object problem = page.script("const p = document.getElementById('problem'); return p.hidden ? '' : p.textContent;");
        assertThat(problem).as("the error banner at the top of the page").isEqualTo("");
    }

    private static void send(BrowserPage page, String text) {
        page.type("#message", text);
        page.click("#send");
    }

    private static String lastAuthor(BrowserPage page) {
        return (String) page.script("const all = document.querySelectorAll('#messages .message .author');"
                + " return all.length ? all[all.length - 1].textContent : null;");
    }

    private static String js(String text) {
        try {
            return RealtimeJson.mapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    @DisplayName("two users chat: the late joiner gets the history, sees who types, and \"You\" marks one's own messages")
    void twoUsersChat() {
        BrowserPage ada = join(browsers.browser(0), "ada");
        send(ada, "anyone here?");
        awaitShown(ada, "#messages", "anyone here?");
        assertThat(lastAuthor(ada)).as("author shown on ada's own message in her page").isEqualTo("You");
        assertThat(ada.count("#messages .message.mine")).as("messages marked as ada's own (class \"mine\") in her page")
                .isEqualTo(1);
        assertThat(ada.script("return document.querySelector('#messages .message time').dateTime"))
                .as("the dateTime of the message's <time>: the message's time, e.g. 2026-05-01T09:30:00Z").asString()
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

        BrowserPage bob = join(browsers.browser(1), "bob");
        awaitShown(bob, "#messages", "anyone here?");
        assertThat(lastAuthor(bob)).as("author shown on ada's message in bob's page (from the history)").isEqualTo("ada");
        assertThat(bob.count("#messages .message.mine")).as("messages marked as bob's own in his page").isZero();
        awaitShown(bob, "#online", "ada");

        bob.type("#message", "hi ada, just arrived");
        awaitShown(ada, "#typing", "bob is typing");
        assertThat(bob.text("#typing")).as("bob's own page does not say he is typing").isEmpty();
        bob.click("#send");
        awaitShown(ada, "#messages", "hi ada, just arrived");
        ada.awaitScript("document.getElementById('typing').textContent === ''",
                "the typing line in ada's page to clear once bob sent his message", WAIT);
        assertThat(lastAuthor(ada)).as("author shown on bob's message in ada's page").isEqualTo("bob");
        awaitShown(bob, "#messages", "hi ada, just arrived");
        assertThat(lastAuthor(bob)).as("author shown on bob's own message in his page").isEqualTo("You");

        ada.type("#message", "welcome!");
        awaitShown(bob, "#typing", "ada is typing");
        Screenshots.save(bob, 9);
    }

    @Test
    @DisplayName("a <script> or <img> in a message is shown as text and never runs")
    void markupStaysText() {
        BrowserPage ada = join(browsers.browser(0), "ada");
        BrowserPage bob = join(browsers.browser(1), "bob");
        String attack = "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked = 2\"> <b>bold?</b>";
        send(ada, attack);
        awaitShown(bob, "#messages .text", "<script>window.hacked = 1</script>");
        assertThat(bob.text("#messages .text")).as("the text of the message in bob's page").isEqualTo(attack);
        assertThat(bob.count("#messages script, #messages img, #messages b"))
                .as("elements made from the message's markup in bob's page").isZero();
        assertThat(bob.script("return window.hacked === undefined")).as("no script of the message ran in bob's page")
                .isEqualTo(true);
    }
}
