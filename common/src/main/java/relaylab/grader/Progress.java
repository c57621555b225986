package relaylab.grader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Commands;

/**
 * The progress view ({@code grade} without a number): a bar and a table of every lesson with its
 * tasks passed. Results are cached in .relaylab/progress.properties by a hash of the lesson's files,
 * so only lessons changed since their last grading are graded again.
 */
final class Progress {
    private static final int BAR_WIDTH = 30;

    private final Workbook workbook;
    private final Grader grader;
    private final Console console;
    private final Commands commands;

    Progress(Workbook workbook, Grader grader, Console console, Commands commands) {
        this.workbook = workbook;
        this.grader = grader;
        this.console = console;
        this.commands = commands;
    }

    /** Prints the progress of every lesson; returns true when every lesson is done. */
    boolean show() {
        List<LessonFolder> lessons = workbook.lessons();
        Properties cache = load(workbook);
        var out = console.out();
        out.println(console.dim("Checking " + lessons.size() + " lessons (only those changed since the last check are graded)…"));
        int passed = 0;
        int total = 0;
        int done = 0;
        StringBuilder table = new StringBuilder();
        LessonFolder next = null;
        for (LessonFolder lesson : lessons) {
            Entry entry = entry(cache, lesson);
            passed += entry.passed();
            total += entry.total();
            boolean finished = entry.total() > 0 && entry.passed() == entry.total() && entry.state().equals("ok");
            done += finished ? 1 : 0;
            if (!finished && next == null) {
                next = lesson;
            }
            String state = finished ? console.green("✔ done") : entry.state().equals("ok") ? "" : console.red(entry.state());
            table.append(String.format("  %02d  %-28s %2d/%-2d  %s%n", lesson.number(), entry.title(),
                    entry.passed(), entry.total(), state));
        }
        save(workbook, cache);
        int filled = total == 0 ? 0 : passed * BAR_WIDTH / total;
        out.println();
        out.printf("Relay Lab progress  [%s%s]  %d/%d tasks, %d of %d lessons done%n",
                console.green("#".repeat(filled)), console.dim("-".repeat(BAR_WIDTH - filled)), passed, total, done, lessons.size());
        out.println();
        out.printf("  %-3s %-28s %-6s%n", "#", "Lesson", "Tasks");
        out.print(table);
        out.println();
        if (next != null) {
            out.println("Next: " + commands.grade(String.format("%02d", next.number())));
        } else {
            out.println(console.green("Every lesson is done. Well played!"));
        }
        return next == null;
    }

    private record Entry(String title, int passed, int total, String state) {
    }

    private Entry entry(Properties cache, LessonFolder lesson) {
        String key = String.format("%02d.", lesson.number());
        String hash = hash(lesson.exercise());
        if (!hash.equals(cache.getProperty(key + "hash"))) {
            try {
                put(cache, grader.grade(lesson, Variant.EXERCISE), hash);
            } catch (GradeException e) {
                cache.setProperty(key + "hash", hash);
                cache.setProperty(key + "state", e.getMessage());
                cache.setProperty(key + "passed", "0");
            }
        }
        return new Entry(cache.getProperty(key + "title", lesson.name()), Integer.parseInt(cache.getProperty(key + "passed", "0")),
                Integer.parseInt(cache.getProperty(key + "total", "0")), cache.getProperty(key + "state", "ok"));
    }

    /** True when the progress cache knows the lesson's current files pass every task. */
    static boolean passes(Workbook workbook, LessonFolder lesson) {
        Properties cache = load(workbook);
        String key = String.format("%02d.", lesson.number());
        return hash(lesson.exercise()).equals(cache.getProperty(key + "hash")) && "ok".equals(cache.getProperty(key + "state"))
                && cache.getProperty(key + "total", "0").equals(cache.getProperty(key + "passed"))
                && !"0".equals(cache.getProperty(key + "total", "0"));
    }

    /** Records a fresh grading of an exercise, so the next progress view need not grade it again. */
    static void remember(Workbook workbook, GradeReport report) {
        Properties cache = load(workbook);
        put(cache, report, hash(report.lesson().exercise()));
        save(workbook, cache);
    }

    private static void put(Properties cache, GradeReport report, String hash) {
        String key = String.format("%02d.", report.lesson().number());
        cache.setProperty(key + "hash", hash);
        cache.setProperty(key + "title", report.title() == null ? report.lesson().name() : report.title());
        cache.setProperty(key + "passed", String.valueOf(report.passed()));
        cache.setProperty(key + "total", String.valueOf(report.tasks().size()));
        cache.setProperty(key + "state", report.compileError() != null ? "does not compile"
                : report.problems().isEmpty() ? "ok" : "authoring problems");
    }

    private static Path file(Workbook workbook) {
        return workbook.root().resolve(".relaylab").resolve("progress.properties");
    }

    private static Properties load(Workbook workbook) {
        Properties cache = new Properties();
        Path file = file(workbook);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                cache.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " (delete it to start over)", e);
            }
        }
        return cache;
    }

    private static void save(Workbook workbook, Properties cache) {
        Path file = file(workbook);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                cache.store(out, "Relay Lab progress cache; safe to delete");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A hash of every file in the folder (names and contents), to notice any change. */
    static String hash(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update(folder.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
