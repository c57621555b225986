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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Task;

/**
 * The workbook's two-sided promise, checked for every lesson with the same grader learners use:
 * the solution passes every task, the untouched exercise fails every task, the annotations and
 * tests agree, and the exercise and solution differ only in TODO regions.
 */
class WorkbookCheckTest {
    static final Workbook WORKBOOK = new Workbook(Path.of(System.getProperty("relaylab.root", "..")));
    /** Longer than a learner's default: the build runs beside other builds, and no lesson test should hang anyway. */
    private static final Grader GRADER = new Grader(WORKBOOK, 30);
    /**
     * How many lessons are checked at once ({@code -Drelaylab.lanes=1}: one after another). Each grade runs in a
     * child JVM that spends much of its time waiting (for a browser, for a test's deadline), so two lanes keep two
     * cores busy. The checks of one lesson always run one after another, in one lane.
     */
    private static final int LANES = Integer.getInteger("relaylab.lanes", 2);
    private static final AtomicInteger GRADES = new AtomicInteger();
    private static final Map<String, Double> TIMES = new ConcurrentSkipListMap<>();
    private static ExecutorService lanes;
    private static long started;

    @TestFactory
    @DisplayName("every lesson: solution passes, untouched exercise fails each task, files paired")
    Stream<DynamicNode> lessons() throws IOException {
        List<LessonFolder> lessons = WORKBOOK.lessons();
        assertThat(lessons).as("lessons found in " + WORKBOOK.root().resolve("lessons")).isNotEmpty();
        Map<LessonFolder, LessonChecks> checks = schedule(lessons.stream().filter(WorkbookCheckTest::selected).toList());
        return checks.values().stream().map(lesson -> dynamicContainer(lesson.folder.label(), Stream.of(
                dynamicTest("solution passes every task", lesson.solution::await),
                dynamicTest("untouched exercise fails every task", lesson.untouched::await),
                dynamicTest("each task fails alone: solution with only that task's TODOs undone", lesson.alone::await),
                dynamicTest("tasks in order: with tasks 1..k done and the later ones untouched, task k passes",
                        lesson.inOrder::await),
                dynamicTest("exercise and solution differ only in TODO regions", lesson.paired::await))));
    }

    /**
     * Starts checking {@code lessons} in {@link #LANES} lanes; each dynamic test then awaits its result. Lessons
     * whose code uses {@code relaylab.store} (Redis, MongoDB) run one after another in one lane, first, since
     * they are the longest and may share a data folder.
     */
    private static Map<LessonFolder, LessonChecks> schedule(List<LessonFolder> lessons) throws IOException {
        Map<LessonFolder, LessonChecks> checks = new LinkedHashMap<>();
        List<LessonChecks> store = new ArrayList<>();
        List<List<LessonChecks>> units = new ArrayList<>();
        for (LessonFolder lesson : lessons) {
            LessonChecks lessonChecks = new LessonChecks(lesson);
            checks.put(lesson, lessonChecks);
            if (usesStore(lesson)) {
                store.add(lessonChecks);
            } else {
                units.add(List.of(lessonChecks));
            }
        }
        if (!store.isEmpty()) {
            units.add(0, store);
        }
        started = System.nanoTime();
        lanes = Executors.newFixedThreadPool(Math.max(1, LANES), work -> {
            Thread lane = new Thread(work, "workbook-check-lane");
            lane.setDaemon(true);
            return lane;
        });
        units.forEach(unit -> lanes.execute(() -> unit.forEach(LessonChecks::run)));
        return checks;
    }

    private static boolean usesStore(LessonFolder lesson) throws IOException {
        for (Path folder : List.of(lesson.exercise(), lesson.solution())) {
            for (Path file : Grader.javaFiles(folder, false)) {
                if (Files.readString(file).contains("relaylab.store")) {
                    return true;
                }
            }
        }
        return false;
    }

    @AfterAll
    static void summary() {
        if (lanes != null) {
            lanes.shutdownNow();
        }
        System.out.printf("WorkbookCheck: %.1f s of checks in %.1f s (%d lanes), %d grades: %s%n",
                TIMES.values().stream().mapToDouble(d -> d).sum(), (System.nanoTime() - started) / 1e9, LANES, GRADES.get(),
                TIMES.entrySet().stream().map(e -> String.format("%s %.0f s", e.getKey(), e.getValue())).toList());
    }

    /** One check's result, reported by the dynamic test that awaits it. */
    private static final class Check {
        private final CompletableFuture<Void> result = new CompletableFuture<>();

        void await() throws Throwable {
            try {
                result.get();
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        }
    }

    /** The five checks of one lesson, run one after another in one lane. */
    private static final class LessonChecks {
        final LessonFolder folder;
        final Check solution = new Check();
        final Check untouched = new Check();
        final Check alone = new Check();
        final Check inOrder = new Check();
        final Check paired = new Check();

        LessonChecks(LessonFolder folder) {
            this.folder = folder;
        }

        void run() {
            GradeReport[] solutionReport = new GradeReport[1];
            Map<Integer, Task> tasks = new TreeMap<>();
            timed(solution, "solution", () -> solutionReport[0] = solutionPasses(folder));
            timed(untouched, "untouched", () -> exerciseFailsEachTask(folder));
            timed(alone, "alone", () -> {
                tasks.putAll(GRADER.tasks(folder));
                eachTaskFailsAlone(folder, tasks.keySet());
            });
            timed(inOrder, "in order", () -> tasksPassInOrder(folder, tasks.isEmpty() ? GRADER.tasks(folder).keySet()
                    : tasks.keySet(), solutionReport[0]));
            timed(paired, "paired", () -> paired(folder));
        }

        /** Runs one check and prints where the build's time goes: its wall time and how many grades it took. */
        private void timed(Check check, String name, Executable body) {
            long start = System.nanoTime();
            int gradesBefore = GRADES.get();
            try {
                body.execute();
                check.result.complete(null);
            } catch (Throwable e) {
                check.result.completeExceptionally(e);
            } finally {
                double seconds = (System.nanoTime() - start) / 1e9;
                TIMES.merge(folder.label(), seconds, Double::sum);
                System.out.printf("WorkbookCheck %s %-9s %6.1f s%n", folder.label(), name, seconds);
            }
        }
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

    private static GradeReport solutionPasses(LessonFolder lesson) throws IOException {
        GradeReport report = grade(lesson, Variant.SOLUTION, null, false);
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
        return report;
    }

    private static String readme() throws IOException {
        return Files.readString(WORKBOOK.root().resolve("README.md"));
    }

    private static void exerciseFailsEachTask(LessonFolder lesson) {
        GradeReport report = grade(lesson, Variant.EXERCISE, null, false);
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
     * tests and not merely by an earlier task's stub. Only task k's tests run, and they stop at the
     * first that fails: one failing test is the proof.
     */
    private static void eachTaskFailsAlone(LessonFolder lesson, Set<Integer> tasks) throws IOException {
        for (int task : tasks) {
            GradeReport report = gradeHybrid(lesson, task, (exercise, solution) -> Pairing.withOnlyTodo(exercise, solution, task),
                    true, null);
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
     * of a later one, and "Next: task k" is always a task the learner can finish now. When that mix is
     * the solution itself (the last task), the solution's grade is the proof and is not repeated.
     */
    private static void tasksPassInOrder(LessonFolder lesson, Set<Integer> tasks, GradeReport solution) throws IOException {
        for (int task : tasks) {
            GradeReport report = gradeHybrid(lesson, task,
                    (exercise, solutionText) -> Pairing.withTodosUndone(exercise, solutionText, number -> number > task),
                    false, solution);
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
     * with a neighbour; {@code Pairing.withTodosUndone} keeps such a shared region done. When the mix has exactly
     * the solution's files and {@code solution} (its full grade) is given, that grade is returned instead.
     */
    private static GradeReport gradeHybrid(LessonFolder lesson, int task, BinaryOperator<String> rebuild, boolean untilFailed,
            GradeReport solution) throws IOException {
        Map<Path, String> texts = new LinkedHashMap<>();
        List<Path> copies = new ArrayList<>();
        boolean sameAsSolution = true;
        try (Stream<Path> files = Files.walk(lesson.solution())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = lesson.solution().relativize(file);
                Path exercise = lesson.exercise().resolve(relative.toString());
                if (Pairing.isText(file.getFileName().toString()) && Files.exists(exercise)) {
                    String solutionText = Files.readString(file);
                    String text = rebuild.apply(Files.readString(exercise), solutionText);
                    texts.put(relative, text);
                    sameAsSolution &= text.equals(solutionText);
                } else {
                    copies.add(relative);
                }
            }
        }
        if (sameAsSolution && solution != null) {
            return solution;
        }
        Path hybrid = Files.createTempDirectory("relaylab-task-" + task + "-");
        try {
            for (Map.Entry<Path, String> text : texts.entrySet()) {
                Path target = hybrid.resolve(text.getKey().toString());
                Files.createDirectories(target.getParent());
                Files.writeString(target, text.getValue());
            }
            for (Path relative : copies) {
                Path target = hybrid.resolve(relative.toString());
                Files.createDirectories(target.getParent());
                Files.copy(lesson.solution().resolve(relative.toString()), target);
            }
            LessonFolder mixed = new LessonFolder(lesson.number(), lesson.name(), lesson.exercise(), hybrid);
            GradeReport report = grade(mixed, Variant.SOLUTION, task, untilFailed);
            assertThat(report.compileError()).as("%s as graded for task %d must compile", lesson.label(), task).isNull();
            return report;
        } finally {
            try (Stream<Path> files = Files.walk(hybrid)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static GradeReport grade(LessonFolder lesson, Variant variant, Integer task, boolean untilFailed) {
        GRADES.incrementAndGet();
        return GRADER.grade(lesson, variant, task, untilFailed);
    }

    private static void paired(LessonFolder lesson) {
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
