package relaylab.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the lessons' embedded databases keep their data: {@code .relaylab/} in the workbook's top folder,
 * whichever folder a lesson is started from. Lesson 11 keeps its chat there and lesson 12 backs it up from
 * there, so both must find the same folder; their runners call {@link #folder()} when they start a server.
 */
public final class LessonData {
    /** The folder's name, in the workbook's top folder. */
    public static final String FOLDER = ".relaylab";

    private LessonData() {
    }

    /** {@code .relaylab/} of the workbook this lesson runs in (see {@link #root}), else of the current folder. */
    public static Path folder() {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = root(cwd, System.getProperty("relaylab.root", System.getenv("RELAYLAB_HOME")),
                Path.of(System.getProperty("user.home")));
        return (root != null ? root : cwd).resolve(FOLDER);
    }

    /** Where lesson 11's embedded Redis keeps the chat: {@code .relaylab/redis/lesson11/} under {@code folder}. */
    public static Path lesson11Redis(Path folder) {
        return folder.resolve("redis").resolve("lesson11");
    }

    /**
     * The workbook's top folder as the grader finds it: {@code configured} (the relaylab.root property or
     * RELAYLAB_HOME) if set; else the first of {@code cwd} and its parents holding lessons/ and jbang-catalog.json;
     * else the one workbook whose catalog is registered with JBang in {@code home} ({@code lesson11@workshop} run
     * from any folder). Null when none applies or several are registered.
     */
    static Path root(Path cwd, String configured, Path home) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            if (!isRoot(path)) {
                throw new IllegalArgumentException(path + " (RELAYLAB_HOME or -Drelaylab.root) is not a Relay Lab folder: it has"
                        + " no lessons/ and jbang-catalog.json. Point it at your copy of the workbook, or unset it.");
            }
            return path;
        }
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        List<Path> registered = registered(home.resolve(".jbang").resolve("jbang-catalog.json"));
        return registered.size() == 1 ? registered.get(0) : null;
    }

    private static List<Path> registered(Path catalogs) {
        List<Path> roots = new ArrayList<>();
        if (!Files.isRegularFile(catalogs)) {
            return roots;
        }
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(catalogs.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read JBang's catalog list " + catalogs + " (" + e.getMessage()
                    + "); mend or remove it, or set RELAYLAB_HOME to your copy of the workbook", e);
        }
        for (JsonNode catalog : tree.path("catalogs")) {
            Path parent = Path.of(catalog.path("catalog-ref").asText("")).toAbsolutePath().normalize().getParent();
            if (parent != null && isRoot(parent) && !roots.contains(parent)) {
                roots.add(parent);
            }
        }
        return roots;
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("lessons")) && Files.isRegularFile(dir.resolve("jbang-catalog.json"));
    }
}
