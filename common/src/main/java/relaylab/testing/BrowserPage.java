package relaylab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;

/**
 * The page a {@link Browser} shows. Tests call it to act like a person (type, click) and to wait until the
 * page shows what it should. Elements are found by CSS selector, for example {@code "#log"} or
 * {@code "button.send"}.
 */
public final class BrowserPage {

    private static final Duration POLL = Duration.ofMillis(50);

    private final WebDriver driver;

    BrowserPage(WebDriver driver) {
        this.driver = driver;
    }

    /** Types {@code text} into the input matched by {@code css} (adding to what it already holds). */
    public BrowserPage type(String css, String text) {
        find(css).sendKeys(text);
        return this;
    }

    /** Empties the input matched by {@code css}. */
    public BrowserPage clear(String css) {
        find(css).clear();
        return this;
    }

    /** Clicks the element matched by {@code css}. */
    public BrowserPage click(String css) {
        find(css).click();
        return this;
    }

    /** The visible text of the element matched by {@code css}, right now. */
    public String text(String css) {
        return find(css).getText();
    }

    /** The current value of the input matched by {@code css}. */
    public String value(String css) {
        return find(css).getDomProperty("value");
    }

    /** How many elements {@code css} matches right now. */
    public int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /**
     * Waits until the element matched by {@code css} exists and its visible text contains {@code expected}.
     *
     * @throws AssertionError after {@code timeout}, saying what the element showed instead and what the
     *     page wrote to the browser console
     */
    public BrowserPage awaitText(String css, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            last = currentText(css);
            if (last != null && last.contains(expected)) {
                return this;
            }
            if (System.nanoTime() - deadline >= 0) {
                String shown = last == null ? "no element matches it" : "it shows \"" + last + "\"";
                throw new AssertionError("Waited " + describe(timeout) + " for \"" + expected + "\" in "
                        + css + " but " + shown + "." + consoleSummary());
            }
            pause();
        }
    }

    /**
     * Waits until the JavaScript expression {@code condition} is truthy on the page, for waits that are
     * not about text (for example {@code "window.socket && window.socket.connected"}).
     *
     * @throws AssertionError after {@code timeout}, naming the condition, what the page shows and the browser console
     */
    public BrowserPage awaitScript(String condition, Duration timeout) {
        return awaitScript(condition, "the page to reach `" + condition + "`", timeout);
    }

    /**
     * Like {@link #awaitScript(String, Duration)}, with {@code expected} saying in words what the test
     * waits for ("your own message to show once, marked as yours"): the failure then reads as a sentence.
     */
    public BrowserPage awaitScript(String condition, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object v = script("return !!(" + condition + ");");
            if (Boolean.TRUE.equals(v)) {
                return this;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Waited " + describe(timeout) + " for " + expected + ", but it did not happen."
                        + " The page shows: \"" + shown() + "\"." + consoleSummary());
            }
            pause();
        }
    }

    /** The page's visible text, shortened, for a failure message. */
    private String shown() {
        String text = currentText("body");
        if (text == null) {
            return "";
        }
        text = text.strip().replaceAll("\\s*\\R\\s*", " | ");
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /**
     * Runs JavaScript in the page and returns its result (use {@code return ...}); {@code arguments[0]} etc.
     * hold {@code args}.
     */
    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** Saves a PNG picture of the page to {@code file}, to look at what a learner would see. */
    public Path screenshot(Path file) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the screenshot to " + file, e);
        }
    }

    /**
     * What the page wrote to the browser console since the last call (errors, warnings, console.log),
     * one line per message.
     */
    public List<String> console() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(entry -> entry.getLevel() + " " + inPageFile(entry.getMessage()))
                    .collect(Collectors.toList());
        } catch (WebDriverException e) {
            return List.of("(the browser console could not be read: " + Browser.firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * Chromium names a script line by the page's address ("http://127.0.0.1:41234/ 61:13"); a lesson's
     * page is its index.html, served as it is, so the learner is pointed at "index.html:61:13".
     */
    static String inPageFile(String message) {
        return message.replaceAll("https?://(127\\.0\\.0\\.1|localhost):\\d+/(index\\.html)?(\\?\\S*)? (\\d+:\\d+)", "index.html:$4");
    }

    /** The address of the page, for example after a redirect. */
    public String url() {
        return driver.getCurrentUrl();
    }

    /** The Selenium driver behind this page. */
    public WebDriver driver() {
        return driver;
    }

    private WebElement find(String css) {
        try {
            return driver.findElement(By.cssSelector(css));
        } catch (NoSuchElementException e) {
            throw new AssertionError("The page has no element matching " + css + " (at " + driver.getCurrentUrl()
                    + ")." + consoleSummary(), e);
        }
    }

    private String currentText(String css) {
        try {
            List<WebElement> found = driver.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return null; // the page replaced the element while we read it: read again on the next round
        }
    }

    private String consoleSummary() {
        List<String> lines = console();
        if (lines.isEmpty()) {
            return " The browser console is empty.";
        }
        return " The browser console says:\n  " + String.join("\n  ", lines);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // polling the page between checks, bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the page", e);
        }
    }
}
