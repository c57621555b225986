import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.store.LessonRedis;
import relaylab.store.testing.TestRedis;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

/** The chat page in headless Chromium while Redis goes down and comes back (needs tasks 1 to 5). */
@Tag("task:5")
class RedisChatPageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final SharedBrowser browser = new SharedBrowser();

    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    private static BrowserPage join(String url, String name) {
        BrowserPage page = browser.open(url + "/");
        page.awaitText("#status", "connected", WAIT);
        page.type("#username", name);
        page.click("#join-button");
        page.awaitText("#status", "connected as " + name, WAIT);
        return page;
    }

    private static long unsaved(BrowserPage page) {
        return ((Number) page.script("return document.querySelectorAll('#messages .message .unsaved').length;")).longValue();
    }

    @Test
    @DisplayName("while Redis is down, messages still show, marked \"not saved yet\"; the marks go when it is back, and the history has them")
    void pageShowsUnsavedMessages() {
        RedisChat[] app = new RedisChat[1];
        try (LessonRedis own = LessonRedis.startEmbedded(redis.folder("page-" + redis.prefix().replace(":", "")));
             RealtimeFixture fx = RealtimeFixture.start(RedisChat::configure, server -> app[0] = new RedisChat(server, own.client(),
                     new RedisChat.Settings(redis.prefix(), Duration.ofMillis(500), 1000, line -> { })))) {
            try {
                TestClient ada = fx.client();
                assertThat(ada.ack("register", "ada").get(0).toString()).as("the ack of ada's register").contains("ok=true");
                BrowserPage bob = join(fx.url(), "bob");
                ada.ack("sendMessage", "stored at once");
                bob.awaitText("#messages", "stored at once", WAIT);
                assertThat(unsaved(bob)).as("\"not saved yet\" marks in bob's page while Redis is up").isZero();

                own.stopServer();
                ada.ack("sendMessage", "sent while Redis is down");
                bob.awaitText("#messages", "sent while Redis is down", WAIT);
                bob.type("#message", "me too, while it is down");
                bob.click("#send");
                bob.awaitText("#messages", "me too, while it is down", WAIT);
                assertThat(unsaved(bob)).as("\"not saved yet\" marks in bob's page while Redis is down").isEqualTo(2);
                assertThat(bob.text("#messages .unsaved")).as("the mark in bob's page").isEqualTo("not saved yet");
                Screenshots.save(bob, 11);

                own.startServer();
                bob.awaitScript("document.querySelectorAll('#messages .unsaved').length === 0", WAIT);
                BrowserPage carol = join(fx.url(), "carol");   // the same browser: bob leaves, carol arrives
                carol.awaitText("#messages", "me too, while it is down", WAIT);
                assertThat(carol.text("#messages")).as("the history carol gets after Redis came back")
                        .contains("stored at once", "sent while Redis is down");
                assertThat(unsaved(carol)).as("\"not saved yet\" marks in carol's history").isZero();
            } finally {
                if (app[0] != null) {
                    app[0].close();
                }
            }
        }
    }
}
