package relaylab.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium that a test drives like a learner would: open a page, type, click, wait for text.
 *
 * <p>Call it from tests that check what a page really does in a browser. It uses an installed Chrome or
 * Chromium and chromedriver (on Debian the packages {@code chromium} and {@code chromium-driver}), found
 * in the usual places of Linux, macOS and Windows, and downloads one only when the learner allows it
 * ({@link #downloadAllowed()}). Every browser gets a fresh profile
 * in a temporary folder that {@link #close()} deletes. When the browser is not installed, tests skip
 * with a visible reason:
 *
 * <pre>{@code
 * Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
 * try (Browser browser = Browser.start()) {
 *     BrowserPage page = browser.open("http://127.0.0.1:" + port + "/");
 *     page.type("#message", "hello");
 *     page.click("#send");
 *     page.awaitText("#log", "hello", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>The paths can be changed with the system properties {@code relaylab.chromium} and
 * {@code relaylab.chromedriver}.
 */
public final class Browser implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Browser.class.getName());
    /**
     * Debian's Chromium is often newer than the DevTools versions this Selenium knows; Selenium then warns on
     * every start although nothing here uses DevTools. Kept in a field so the setting is not garbage collected.
     */
    private static final java.util.logging.Logger CDP_VERSION_LOGGER = quietCdpVersionFinder();
    /** How every reason of {@link #unavailableReason()} starts. */
    public static final String NO_BROWSER = "No browser for this test";
    private static final String INSTALL_HINT = "Install Chrome or Chromium with its driver (Debian/Ubuntu: sudo apt-get install -y"
            + " chromium chromium-driver; macOS: brew install --cask chromium chromedriver; Windows: install Google Chrome),"
            + " point -Drelaylab.chromium and -Drelaylab.chromedriver at them, or let Selenium download both:"
            + " RELAYLAB_BROWSER_DOWNLOAD=yes";

    /** The command line switches every browser starts with: headless, quiet, nothing fetched from outside. */
    static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,800");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /**
     * The Chrome or Chromium executable that {@link #start()} runs: the {@code relaylab.chromium} system
     * property when set, else the first installed in the usual places of Linux, macOS and Windows or on
     * the PATH, else {@code /usr/bin/chromium} (which then is reported missing).
     */
    public static Path chromiumPath() {
        return configuredOrFound("relaylab.chromium", BrowserLocations.browsers(), "/usr/bin/chromium");
    }

    /** The chromedriver executable that {@link #start()} runs, found like {@link #chromiumPath()}. */
    public static Path chromedriverPath() {
        return configuredOrFound("relaylab.chromedriver", BrowserLocations.drivers(), "/usr/bin/chromedriver");
    }

    private static Path configuredOrFound(String property, List<Path> candidates, String fallback) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(Path.of(fallback));
    }

    /**
     * True when the learner allows Selenium Manager to download a browser and its driver when none is
     * installed: system property {@code relaylab.browser.download=true} or environment variable
     * {@code RELAYLAB_BROWSER_DOWNLOAD=yes}. Off by default: a test never fetches anything unasked.
     */
    public static boolean downloadAllowed() {
        String env = System.getenv("RELAYLAB_BROWSER_DOWNLOAD");
        return Boolean.getBoolean("relaylab.browser.download") || env != null && List.of("yes", "true", "1").contains(env.strip());
    }

    /** True when a browser can start: installed with its driver, or allowed to be downloaded. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /**
     * Why no browser can start, for the skip message of a test; empty when {@link #available()}. It
     * starts with {@link #NO_BROWSER}, by which the grader tells "not checked here" from a failure.
     */
    public static String unavailableReason() {
        if (downloadAllowed() && System.getProperty("relaylab.chromium") == null) {
            return "";
        }
        for (Path p : List.of(chromiumPath(), chromedriverPath())) {
            if (!Files.isRegularFile(p)) {
                return NO_BROWSER + ": " + p + " is missing. " + INSTALL_HINT;
            }
            if (!Files.isExecutable(p)) {
                return NO_BROWSER + ": " + p + " is not executable. " + INSTALL_HINT;
            }
        }
        return "";
    }

    /**
     * Starts a new headless Chromium with an empty profile. Close it (try-with-resources) when done.
     *
     * @throws IllegalStateException when the browser is not installed or does not start
     */
    public static Browser start() {
        return start(new String[0]);
    }

    /**
     * Starts a headless Chromium with these command line switches added to the usual ones, e.g.
     * {@code "--ignore-certificate-errors-spki-list=" + pin} to trust exactly one self-signed certificate's key
     * (lesson 14), never all certificates.
     */
    public static Browser start(String... extraFlags) {
        String reason = unavailableReason();
        if (!reason.isEmpty()) {
            throw new IllegalStateException(reason);
        }
        boolean local = Files.isExecutable(chromiumPath()) && Files.isExecutable(chromedriverPath());
        Path profile;
        try {
            profile = Files.createTempDirectory("relaylab-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary browser profile folder", e);
        }
        ChromeOptions options = new ChromeOptions();
        // With both paths explicit, Selenium Manager is never asked to find or download anything; only
        // when nothing is installed and the learner allowed it, Selenium Manager fetches a browser and driver.
        if (local) {
            options.setBinary(chromiumPath().toFile());
        }
        options.addArguments(FLAGS);
        options.addArguments(extraFlags);
        options.addArguments("--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService.Builder builder = new ChromeDriverService.Builder();
        if (local) {
            builder.usingDriverExecutable(new File(chromedriverPath().toString()));
        }
        ChromeDriverService service = builder
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            return new Browser(driver, service, profile);
        } catch (WebDriverException e) {
            service.stop();
            deleteQuietly(profile);
            throw new IllegalStateException("Chromium did not start (" + chromiumPath() + " via "
                    + chromedriverPath() + "): " + firstLine(e.getMessage()), e);
        }
    }

    /** Loads {@code url} in the browser's window (waiting for the page's load event) and returns the page. */
    public BrowserPage open(String url) {
        driver.get(url);
        return new BrowserPage(driver);
    }

    /** The page currently shown, for a test that navigated by clicking a link. */
    public BrowserPage page() {
        return new BrowserPage(driver);
    }

    /** The Selenium driver, for what {@link BrowserPage} does not offer. */
    public WebDriver driver() {
        return driver;
    }

    /** Quits Chromium and chromedriver and deletes the temporary profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            LOG.log(System.Logger.Level.WARNING, "Chromium did not quit cleanly: " + firstLine(e.getMessage()));
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static java.util.logging.Logger quietCdpVersionFinder() {
        java.util.logging.Logger logger =
                java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete the browser profile " + dir + ": " + e);
        }
    }
}
