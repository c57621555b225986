package relaylab.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Headless browsers shared by all tests of a page-test class, registered with
 * {@code @RegisterExtension static final SharedBrowser BROWSER = new SharedBrowser();} (or
 * {@code new SharedBrowser(2)} for a test with two users, each in a browser of their own). Every test
 * is skipped with {@link Browser#unavailableReason()} when no browser is installed. The browsers start
 * together on the first call of {@link #browser(int)} or {@link #open}, so a test that fails before it
 * opens a page (an unfinished TODO on the server side) costs no browser start; they close after the last test.
 */
public final class SharedBrowser implements BeforeEachCallback, AfterAllCallback {
    private final int count;
    private final List<Browser> browsers = new ArrayList<>();

    /** One browser. */
    public SharedBrowser() {
        this(1);
    }

    /** {@code count} browsers: separate users (separate cookies and storage), started side by side. */
    public SharedBrowser(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a SharedBrowser needs at least one browser, not " + count);
        }
        this.count = count;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (browsers) {
            browsers.forEach(Browser::close);
            browsers.clear();
        }
    }

    /** Opens {@code url} in the first browser; called from a test. */
    public BrowserPage open(String url) {
        return browser(0).open(url);
    }

    /** The first browser, for what {@link #open} does not cover (tabs, the WebDriver). */
    public Browser browser() {
        return browser(0);
    }

    /** Browser {@code index} (0 to count - 1); the first call starts them all at once (half the wait for two). */
    public Browser browser(int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("browser " + index + " of a SharedBrowser with " + count + " (0 to " + (count - 1) + ")");
        }
        synchronized (browsers) {
            if (browsers.isEmpty()) {
                List<CompletableFuture<Browser>> starting = new ArrayList<>();
                for (int i = 1; i < count; i++) {
                    starting.add(CompletableFuture.supplyAsync(Browser::start));
                }
                RuntimeException failed = null;
                try {
                    browsers.add(Browser.start());
                } catch (RuntimeException e) {
                    failed = e;
                }
                for (CompletableFuture<Browser> other : starting) {
                    try {
                        browsers.add(other.join());   // kept even when another failed to start, so that afterAll closes it
                    } catch (RuntimeException e) {
                        failed = failed != null ? failed : e;
                    }
                }
                if (failed != null) {
                    afterAll(null);
                    throw failed;
                }
            }
            return browsers.get(index);
        }
    }
}
