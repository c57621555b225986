package relaylab.workbook;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The commands to print for a learner, written the way that works from where they are: the
 * workbook's {@code ./jbang} launcher as they typed it ({@code ./jbang}, {@code ../../jbang}), or an
 * installed {@code jbang}, with the catalog's name ({@code grade@workshop}) outside the workbook.
 * Used by the grader and by {@link Exercise} whenever they tell the learner what to run next.
 */
public final class Commands {
    /** Prints {@code ./jbang grade ...} and paths as given: for tests and the build's own reports. */
    public static final Commands PLAIN = new Commands("./jbang", "", null, null);

    private final String launcher;
    private final String alias;
    private final Path root;
    private final Path cwd;

    private Commands(String launcher, String alias, Path root, Path cwd) {
        this.launcher = launcher;
        this.alias = alias;
        this.root = root;
        this.cwd = cwd;
    }

    /**
     * The commands for a learner in the current folder, for the workbook at {@code root} (null when
     * unknown) whose JBang catalog is registered as {@code catalogName}.
     */
    public static Commands here(Path root, String catalogName) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        String typed = System.getenv("JBANG_LAUNCH_CMD");
        boolean ours = typed != null && !typed.isBlank() && Path.of(typed).getFileName() != null
                && Path.of(typed).getFileName().toString().equals("jbang")
                && Files.isRegularFile(cwd.resolve(typed).resolveSibling("jbang-catalog.json"));
        if (ours) {
            return new Commands(typed, "", root, cwd);
        }
        boolean inside = root != null ? cwd.startsWith(root) : Files.isRegularFile(cwd.resolve("jbang-catalog.json"));
        return new Commands("jbang", inside ? "" : "@" + catalogName, root, cwd);
    }

    /** "./jbang grade 01 --diff" for {@code arguments} "01 --diff". */
    public String grade(String arguments) {
        return launcher + " grade" + alias + (arguments.isEmpty() ? "" : " " + arguments);
    }

    /** "./jbang lesson01" for {@code name} "lesson01". */
    public String run(String name) {
        return launcher + " " + name + alias;
    }

    /** A path relative to the workbook's root, as it is reached from the current folder. */
    public String path(String fromRoot) {
        if (root == null || cwd == null || cwd.equals(root)) {
            return fromRoot;
        }
        Path target = root.resolve(fromRoot).normalize();
        return cwd.startsWith(root) ? cwd.relativize(target).toString() : target.toString();
    }
}
