import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.realtime.testing.RealtimeFixture.WAIT;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeServer;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

class EventsProtocolPageTest {
    @Test
    @Tag("task:1")
    @DisplayName("in a browser, a sent message shows up as text with the frame your encoder wrote for it")
    void pageShowsYourFrame() {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        RealtimeServer server = EventsProtocol.createServer().start(0);
        try (Browser browser = Browser.start()) {
            BrowserPage page = browser.open(server.url() + "/");
            page.awaitText("#status", "connected", WAIT);
            page.type("#message", "<b>hi</b>").click("#send");
            page.awaitText("#messages", "<b>hi</b>", WAIT);
            page.awaitScript("/42\\[|not finished/.test(document.getElementById('encoded').textContent)", WAIT);
            assertThat(page.text("#encoded")).as("the frame the page shows for your message (your encoder's)")
                    .isEqualTo("42[\"chat\",\"<b>hi</b>\"]");
            page.click("#stats").awaitText("#admin", "connections", WAIT);
            Screenshots.save(page, 7);
        } finally {
            server.stop();
        }
    }
}
