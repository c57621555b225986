package relaylab.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Commands;

/**
 * {@code grade NN --diff}: once a learner's lesson passes, shows where their files differ from the
 * workbook's solution ("see how we did it"), region by region. Before it passes, it says so and
 * shows nothing, so the solution does not spoil the exercise.
 */
final class SolutionDiff {
    private final Workbook workbook;
    private final Grader grader;
    private final Console console;
    private final Commands commands;

    SolutionDiff(Workbook workbook, Grader grader, Console console, Commands commands) {
        this.workbook = workbook;
        this.grader = grader;
        this.console = console;
        this.commands = commands;
    }

    /** Prints the differences when the lesson passes; returns false (and prints why) when it does not yet. */
    boolean show(LessonFolder lesson) {
        var out = console.out();
        String number = String.format("%02d", lesson.number());
        if (!Progress.passes(workbook, lesson)) {
            GradeReport report = grader.grade(lesson, Variant.EXERCISE);
            Progress.remember(workbook, report);
            if (!report.allCheckedPass()) {
                out.println(String.format("--diff shows the workbook's solution once your lesson passes; %d of %d tasks pass now."
                        + " Grade it with: %s", report.passed(), report.tasks().size(), commands.grade(number)));
                return false;
            }
        }
        out.println(console.bold("Your " + commands.path(relative(lesson.exercise())) + " next to the workbook's solution")
                + console.dim(" (- yours, + solution)"));
        for (Path solution : files(lesson.solution())) {
            String name = lesson.solution().relativize(solution).toString();
            Path exercise = lesson.exercise().resolve(name);
            if (!Pairing.isText(name) || name.endsWith("Test.java")) {
                continue;
            }
            out.println();
            if (!Files.exists(exercise)) {
                out.println(console.bold(name) + ": only in the solution");
                continue;
            }
            List<String> yours = read(exercise);
            List<String> theirs = read(solution);
            List<int[]> hunks = Pairing.hunks(yours, theirs);
            if (hunks.isEmpty()) {
                out.println(console.bold(name) + console.dim(": the same as the solution"));
                continue;
            }
            out.println(console.bold(name));
            for (int[] hunk : hunks) {
                out.println(console.dim(String.format("  @@ your lines %d–%d, the solution's %d–%d @@", hunk[0] + 1, hunk[1],
                        hunk[2] + 1, hunk[3])));
                yours.subList(hunk[0], hunk[1]).forEach(line -> out.println(console.red("  - " + line)));
                theirs.subList(hunk[2], hunk[3]).forEach(line -> out.println(console.green("  + " + line)));
            }
        }
        return true;
    }

    private String relative(Path path) {
        return workbook.root().relativize(path).toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new GradeException("cannot list " + folder + ": " + e.getMessage());
        }
    }
}
