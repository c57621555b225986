package relaylab.grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The workbook on disk: finds its root folder and its lessons. Everything the grader and the
 * build checks know about lessons starts here, from the folder names {@code lessons/NN-slug}.
 */
public final class Workbook {
    private static final Pattern LESSON_FOLDER = Pattern.compile("(\\d{2})-([a-z0-9-]+)");

    private final Path root;

    /** Opens the workbook whose top folder is {@code root} (it holds lessons/ and solutions/). */
    public Workbook(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Finds the workbook from the {@code relaylab.root} system property, the {@code RELAYLAB_HOME}
     * environment variable, or the current folder and its parents.
     *
     * @throws GradeException when none of them is inside a workbook
     */
    public static Workbook locate() {
        String configured = System.getProperty("relaylab.root", System.getenv("RELAYLAB_HOME"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!isRoot(path)) {
                throw new GradeException(path + " is not a Relay Lab folder (it has no lessons/ and jbang-catalog.json)");
            }
            return new Workbook(path);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return new Workbook(dir);
            }
        }
        List<Path> registered = registeredCatalogs();
        if (registered.size() == 1) {
            return new Workbook(registered.get(0));
        }
        throw new GradeException("this folder is not inside the Relay Lab workbook. cd into your copy of it,"
                + " or set RELAYLAB_HOME to its path"
                + (registered.isEmpty() ? "." : " (JBang knows several: " + registered + ")."));
    }

    /**
     * Workbooks registered with {@code jbang catalog add --global}, so that {@code grade@workshop}
     * works from any folder: the folders of catalogs in ~/.jbang/jbang-catalog.json that hold lessons/.
     */
    private static List<Path> registeredCatalogs() {
        Path user = Path.of(System.getProperty("user.home"), ".jbang", "jbang-catalog.json");
        if (!Files.isRegularFile(user)) {
            return List.of();
        }
        try {
            JsonNode catalogs = new ObjectMapper().readTree(user.toFile()).path("catalogs");
            List<Path> roots = new ArrayList<>();
            catalogs.forEach(catalog -> {
                Path ref = Path.of(catalog.path("catalog-ref").asText("")).toAbsolutePath();
                if (ref.getParent() != null && isRoot(ref.getParent()) && !roots.contains(ref.getParent())) {
                    roots.add(ref.getParent());
                }
            });
            return roots;
        } catch (IOException | RuntimeException e) {
            throw new GradeException("cannot read JBang's catalog list " + user + ": " + e.getMessage());
        }
    }

    /**
     * The name under which this workbook's catalog is registered with {@code jbang catalog add}, for
     * commands printed outside the workbook ({@code jbang grade@workshop 01}); "workshop" when none is.
     */
    public String catalogName() {
        Path user = Path.of(System.getProperty("user.home"), ".jbang", "jbang-catalog.json");
        if (Files.isRegularFile(user)) {
            try {
                for (var catalog : new ObjectMapper().readTree(user.toFile()).path("catalogs").properties()) {
                    Path ref = Path.of(catalog.getValue().path("catalog-ref").asText("")).toAbsolutePath().normalize();
                    if (root.equals(ref.getParent())) {
                        return catalog.getKey();
                    }
                }
            } catch (IOException | RuntimeException e) {
                return "workshop"; // the name only decorates a printed command; locate() reports a broken catalog list
            }
        }
        return "workshop";
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("lessons")) && Files.isRegularFile(dir.resolve("jbang-catalog.json"));
    }

    /** The top folder of the workbook. */
    public Path root() {
        return root;
    }

    /** All lessons found under lessons/, ordered by number. */
    public List<LessonFolder> lessons() {
        try (Stream<Path> dirs = Files.list(root.resolve("lessons"))) {
            return dirs.filter(Files::isDirectory)
                    .map(dir -> parse(dir.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("lessons"), e);
        }
    }

    private Optional<LessonFolder> parse(String name) {
        Matcher m = LESSON_FOLDER.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new LessonFolder(Integer.parseInt(m.group(1)), name,
                root.resolve("lessons").resolve(name), root.resolve("solutions").resolve(name)));
    }

    /**
     * Finds a lesson by what a learner typed: "1", "01" or "lesson01".
     *
     * @throws GradeException with the range of lessons when there is no such lesson
     */
    public LessonFolder lesson(String typed) {
        List<LessonFolder> all = lessons();
        if (all.isEmpty()) {
            throw new GradeException("there are no lessons in " + root.resolve("lessons"));
        }
        String digits = typed.trim().replaceFirst("^(lesson|solution)", "");
        String range = String.format("%02d–%02d", all.get(0).number(), all.get(all.size() - 1).number());
        if (!digits.matches("\\d{1,3}")) {
            throw new GradeException("'" + typed + "' is not a lesson number; lessons are " + range
                    + " (for example: grade 01)");
        }
        int number = Integer.parseInt(digits);
        return all.stream().filter(l -> l.number() == number).findFirst()
                .orElseThrow(() -> new GradeException("no lesson " + digits + "; lessons are " + range));
    }
}
