package relaylab.testing;

import java.nio.file.Path;
import java.util.Optional;
import relaylab.grader.LessonFolder;
import relaylab.grader.Workbook;

/**
 * Keeps the picture of a lesson's page that its README shows, so a learner sees what to expect
 * before writing any code.
 *
 * <p>Call {@link #save} from a lesson's browser test, after its assertions passed (so only a page
 * that works is kept). It does nothing unless the environment variable {@value #ENV} is set;
 * then it writes {@code lessons/NN-slug/screenshot.png} in the workbook found by
 * {@link Workbook#locate()}. The README of such a lesson says how to regenerate it:
 *
 * <pre>{@code
 * RELAYLAB_SCREENSHOTS=1 ./jbang grade 05 --solution
 * }</pre>
 *
 * <pre>{@code
 * page.awaitText("#messages", "hello", Duration.ofSeconds(5));
 * Screenshots.save(page, 5);
 * }</pre>
 */
public final class Screenshots {
    /** The environment variable that turns saving on; its value does not matter. */
    public static final String ENV = "RELAYLAB_SCREENSHOTS";

    /** The file name used by {@link #save(BrowserPage, int)}. */
    public static final String DEFAULT_NAME = "screenshot.png";

    private static final System.Logger LOG = System.getLogger(Screenshots.class.getName());

    private Screenshots() {
    }

    /** True when {@value #ENV} is set, i.e. when {@link #save} writes files. */
    public static boolean enabled() {
        String value = System.getenv(ENV);
        return value != null && !value.isBlank();
    }

    /**
     * Saves the page as {@code lessons/NN-slug/screenshot.png} when {@value #ENV} is set.
     *
     * @param page   the page to picture, as the test left it
     * @param lesson the lesson number, e.g. 5 for lessons/05-first-chat
     * @return the file written, or empty when saving is off
     * @throws IllegalStateException when saving is on but the workbook or the lesson cannot be found
     */
    public static Optional<Path> save(BrowserPage page, int lesson) {
        return save(page, lesson, DEFAULT_NAME);
    }

    /**
     * Same as {@link #save(BrowserPage, int)} with another file name, for a lesson with a second page
     * (e.g. "screenshot-admin.png"). The name must end in ".png" and name a file, not a path.
     */
    public static Optional<Path> save(BrowserPage page, int lesson, String fileName) {
        if (!fileName.endsWith(".png") || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("a screenshot is a .png file name without folders, e.g. \""
                    + DEFAULT_NAME + "\"; got \"" + fileName + "\"");
        }
        if (!enabled()) {
            return Optional.empty();
        }
        Path file = folderOf(lesson).resolve(fileName);
        page.screenshot(file);
        LOG.log(System.Logger.Level.INFO, "saved the page of lesson " + lesson + " to " + file);
        return Optional.of(file);
    }

    private static Path folderOf(int lesson) {
        Workbook workbook;
        try {
            workbook = Workbook.locate();
        } catch (RuntimeException e) {
            throw new IllegalStateException(ENV + " is set but the workbook was not found: " + e.getMessage(), e);
        }
        return workbook.lessons().stream()
                .filter(folder -> folder.number() == lesson)
                .map(LessonFolder::exercise)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(ENV + " is set but " + workbook.root()
                        + " has no lessons/" + String.format("%02d", lesson) + "-* folder to save the screenshot in"));
    }
}
