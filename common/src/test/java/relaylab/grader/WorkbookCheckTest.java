package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.LessonFolder.Variant;

/**
 * The workbook's two-sided promise, checked for every lesson with the same grader learners use:
 * the solution passes every task, the untouched exercise fails every task, the annotations and
 * tests agree, and the exercise and solution differ only in TODO regions.
 */
class WorkbookCheckTest {
    static final Workbook WORKBOOK = new Workbook(Path.of(System.getProperty("relaylab.root", "..")));
    /** Longer than a learner's default: the build runs beside other builds, and no lesson test should hang anyway. */
    private final Grader grader = new Grader(WORKBOOK, 30);

    @TestFactory
    @DisplayName("every lesson: solution passes, untouched exercise fails each task, files paired")
    Stream<DynamicNode> lessons() {
        List<LessonFolder> lessons = WORKBOOK.lessons();
        assertThat(lessons).as("lessons found in " + WORKBOOK.root().resolve("lessons")).isNotEmpty();
        return lessons.stream().filter(WorkbookCheckTest::selected).map(lesson -> dynamicContainer(lesson.label(), Stream.of(
                dynamicTest("solution passes every task", () -> solutionPasses(lesson)),
                dynamicTest("untouched exercise fails every task", () -> exerciseFailsEachTask(lesson)),
                dynamicTest("each task fails alone: solution with only that task's TODOs undone", () -> eachTaskFailsAlone(lesson)),
                dynamicTest("tasks in order: with tasks 1..k done and the later ones untouched, task k passes",
                        () -> tasksPassInOrder(lesson)),
                dynamicTest("exercise and solution differ only in TODO regions", () -> paired(lesson)))));
    }

    /**
     * While working on one lesson, {@code mvn verify -Dtest=WorkbookCheckTest -Drelaylab.lessons=05,09}
     * checks only those lessons; without the property every lesson is checked, as in CI.
     */
    private static boolean selected(LessonFolder lesson) {
        String only = System.getProperty("relaylab.lessons", "").trim();
        if (only.isEmpty()) {
            return true;
        }
        for (String number : only.split(",")) {
            if (Integer.parseInt(number.trim()) == lesson.number()) {
                return true;
            }
        }
        return false;
    }

    private void solutionPasses(LessonFolder lesson) throws IOException {
        GradeReport report = grader.grade(lesson, Variant.SOLUTION);
        assertThat(report.compileError()).as("compile errors of " + lesson.label() + " solution").isNull();
        assertThat(report.problems()).as("authoring problems of " + lesson.label()).isEmpty();
        assertThat(report.allPassed()).as("all tasks of the solution pass; the grader said:\n" + printed(report)).isTrue();
        String row = String.format("| %02d | [%s](lessons/%s/README.md) |", lesson.number(), report.title(), lesson.name());
        assertThat(readme()).as("README.md's lesson table has the row for @Lesson %d", lesson.number()).contains(row);
        String lessonReadme = Files.readString(lesson.exercise().resolve("README.md"));
        for (TaskResult task : report.tasks()) {
            assertThat(lessonReadme).as("%s/README.md has the heading of @Task %d", lesson.name(), task.number())
                    .contains("### " + task.number() + ". " + task.title() + "\n");
        }
    }

    private static String readme() throws IOException {
        return Files.readString(WORKBOOK.root().resolve("README.md"));
    }

    private void exerciseFailsEachTask(LessonFolder lesson) {
        GradeReport report = grader.grade(lesson, Variant.EXERCISE);
        assertThat(report.compileError()).as("the untouched exercise of " + lesson.label() + " must compile").isNull();
        assertThat(report.problems()).as("authoring problems of " + lesson.label()).isEmpty();
        assertThat(report.tasks()).as("tasks of " + lesson.label()).isNotEmpty();
        for (TaskResult task : report.tasks()) {
            assertThat(task.tests()).as("task %d of %s: at least one test fails on the untouched exercise; the grader said:%n%s",
                    task.number(), lesson.label(), printed(report))
                    .anyMatch(t -> t.status() == Status.FAILED || t.status() == Status.TIMED_OUT);
        }
    }

    /**
     * The strong form of the two-sided check: for each task k, take the solution and put back only
     * task k's TODO regions. Task k's tests must fail there, so each task is proven by its own
     * tests and not merely by an earlier task's stub.
     */
    private void eachTaskFailsAlone(LessonFolder lesson) throws IOException {
        for (int task : grader.tasks(lesson).keySet()) {
            GradeReport report = gradeHybrid(lesson, task, (exercise, solution) -> Pairing.withOnlyTodo(exercise, solution, task));
            TaskResult result = report.tasks().stream().filter(t -> t.number() == task).findFirst().orElseThrow();
            assertThat(result.tests())
                    .as("task %d of %s: a test fails when every other task is done and this one is not; the grader said:%n%s",
                            task, lesson.label(), printed(report.onlyTask(task)))
                    .anyMatch(t -> t.status() == Status.FAILED || t.status() == Status.TIMED_OUT);
        }
    }

    /**
     * The learner's path, proven: for each task k, the solution with the TODO regions of every later
     * task put back as in the exercise. Task k's tests must pass there, so a task never needs code
     * of a later one, and "Next: task k" is always a task the learner can finish now.
     */
    private void tasksPassInOrder(LessonFolder lesson) throws IOException {
        for (int task : grader.tasks(lesson).keySet()) {
            GradeReport report = gradeHybrid(lesson, task,
                    (exercise, solution) -> Pairing.withTodosUndone(exercise, solution, number -> number > task));
            TaskResult result = report.tasks().stream().filter(t -> t.number() == task).findFirst().orElseThrow();
            assertThat(result.status())
                    .as("task %d of %s passes with tasks 1..%d done and the later ones untouched; the grader said:%n%s",
                            task, lesson.label(), task, printed(report.onlyTask(task)))
                    .isEqualTo(Status.PASSED);
        }
    }

    /**
     * Grades task {@code task} of a mix of exercise and solution that {@code rebuild} makes from each text file
     * (exercise, solution): {@code Pairing.withOnlyTodo} undoes every region holding task k's TODO, even one shared
     * with a neighbour; {@code Pairing.withTodosUndone} keeps such a shared region done.
     */
    private GradeReport gradeHybrid(LessonFolder lesson, int task, BinaryOperator<String> rebuild) throws IOException {
        Path hybrid = Files.createTempDirectory("relaylab-task-" + task + "-");
        try {
            try (Stream<Path> files = Files.walk(lesson.solution())) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = hybrid.resolve(lesson.solution().relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Path exercise = lesson.exercise().resolve(lesson.solution().relativize(file).toString());
                    if (Pairing.isText(file.getFileName().toString()) && Files.exists(exercise)) {
                        Files.writeString(target, rebuild.apply(Files.readString(exercise), Files.readString(file)));
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            LessonFolder mixed = new LessonFolder(lesson.number(), lesson.name(), lesson.exercise(), hybrid);
            GradeReport report = grader.grade(mixed, Variant.SOLUTION, task);
            assertThat(report.compileError()).as("%s as graded for task %d must compile", lesson.label(), task).isNull();
            return report;
        } finally {
            try (Stream<Path> files = Files.walk(hybrid)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void paired(LessonFolder lesson) {
        assertThat(Pairing.check(lesson, WORKBOOK.root())).as("pairing problems of " + lesson.label()).isEmpty();
        assertThat(Files.isRegularFile(lesson.exercise().resolve("README.md")))
                .as(lesson.label() + " has a README.md").isTrue();
    }

    static String printed(GradeReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ReportPrinter(new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false), true)
                .print(report, report.lesson().folder(report.variant()).toString());
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
