import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.store.LessonRedis;
import relaylab.store.testing.TestRedis;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

/** The chat page in headless Chromium while Redis goes down and comes back (needs tasks 1 to 5). */
@Tag("task:5")
class RedisChatPageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Browser first;
    private static Browser second;

    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    @BeforeAll
    static void startBrowsers() {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        first = Browser.start();
        second = Browser.start();
    }

    @AfterAll
    static void stopBrowsers() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static BrowserPage join(Browser browser, String url, String name) {
        BrowserPage page = browser.open(url + "/");
        page.awaitText("#status", "connected", WAIT);
        page.type("#username", name);
        page.click("#join-button");
        page.awaitText("#status", "connected as " + name, WAIT);
        return page;
    }

    private static void send(BrowserPage page, String text) {
        page.type("#message", text);
        page.click("#send");
    }

    private static long unsaved(BrowserPage page) {
        return ((Number) page.script("return document.querySelectorAll('#messages .message .unsaved').length;")).longValue();
    }

    @Test
    @DisplayName("while Redis is down, messages still reach both pages marked \"not saved yet\"; the marks go when it is back, and the history has them")
    void pagesShowUnsavedMessages() {
        RedisChat[] app = new RedisChat[1];
        try (LessonRedis own = LessonRedis.startEmbedded(redis.folder("page-" + redis.prefix().replace(":", "")));
             RealtimeFixture fx = RealtimeFixture.start(RedisChat::configure, server -> app[0] = new RedisChat(server, own.client(),
                     new RedisChat.Settings(redis.prefix(), Duration.ofMillis(500), 1000, line -> { })))) {
            try {
                BrowserPage ada = join(first, fx.url(), "ada");
                BrowserPage bob = join(second, fx.url(), "bob");
                send(ada, "stored at once");
                bob.awaitText("#messages", "stored at once", WAIT);
                assertThat(unsaved(bob)).as("\"not saved yet\" marks in bob's page while Redis is up").isZero();

                own.stopServer();
                send(ada, "sent while Redis is down");
                bob.awaitText("#messages", "sent while Redis is down", WAIT);
                ada.awaitText("#messages", "not saved yet", WAIT);
                assertThat(unsaved(bob)).as("\"not saved yet\" marks in bob's page while Redis is down").isEqualTo(1);
                assertThat(bob.text("#messages .unsaved")).as("the mark in bob's page").isEqualTo("not saved yet");
                Screenshots.save(bob, 11);

                own.startServer();
                for (BrowserPage page : new BrowserPage[] {ada, bob}) {
                    page.awaitScript("document.querySelectorAll('#messages .unsaved').length === 0", WAIT);
                }
                BrowserPage carol = join(first, fx.url(), "carol");
                carol.awaitText("#messages", "sent while Redis is down", WAIT);
                assertThat(carol.text("#messages")).as("the history carol gets after Redis came back").contains("stored at once");
                assertThat(unsaved(carol)).as("\"not saved yet\" marks in carol's history").isZero();
            } finally {
                if (app[0] != null) {
                    app[0].close();
                }
            }
        }
    }
}
