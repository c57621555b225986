package relaylab.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless browser for all tests of a page-test class, registered with
 * {@code @RegisterExtension static final SharedBrowser BROWSER = new SharedBrowser();}. It starts
 * before the first test, skips every test with {@link Browser#unavailableReason()} when no browser
 * is installed, and closes after the last test.
 */
public final class SharedBrowser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private Browser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (Browser.available()) {
            browser = Browser.start();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(browser != null, Browser.unavailableReason());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Opens {@code url} in the shared browser; called from a test. */
    public BrowserPage open(String url) {
        return browser().open(url);
    }

    /** The shared browser itself, for what {@link #open} does not cover (tabs, the WebDriver). */
    public Browser browser() {
        if (browser == null) {
            throw new IllegalStateException("no browser: register SharedBrowser with @RegisterExtension on a static field");
        }
        return browser;
    }
}
