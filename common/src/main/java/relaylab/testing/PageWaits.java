package relaylab.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;

/**
 * Waits for lesson pages that list messages and report problems in a status line. A page whose
 * status line shows an unfinished "TODO N" fails the wait at once with the page's own words,
 * instead of letting the test time out.
 */
public final class PageWaits {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageWaits() {
    }

    /**
     * Waits until the element {@code listCss} contains {@code text}, or fails early when
     * {@code statusCss} reports an unfinished TODO. Called by page tests after an action.
     */
    public static void awaitMessage(BrowserPage page, String listCss, String statusCss, String text, Duration wait) {
        try {
            page.awaitScript("document.querySelector(" + quote(listCss) + ").textContent.includes(" + quote(text) + ")"
                    + " || /TODO \\d/.test(document.querySelector(" + quote(statusCss) + ").textContent)", wait);
        } catch (AssertionError timedOut) {
            throw new AssertionError("Waited " + wait.toSeconds() + " s for \"" + text + "\" in " + listCss
                    + " but it shows \"" + page.text(listCss) + "\". The browser console says: " + page.console(), timedOut);
        }
        failIfStopped(page, statusCss);
        page.awaitText(listCss, text, Duration.ZERO);
    }

    /** Fails with the page's own words when {@code statusCss} shows an unfinished TODO. */
    public static void failIfStopped(BrowserPage page, String statusCss) {
        String status = page.text(statusCss);
        if (status.matches("(?s).*TODO \\d.*")) {
            throw new AssertionError("The page stopped at an unfinished TODO: " + status);
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot quote " + text + " for JavaScript", e);
        }
    }
}
