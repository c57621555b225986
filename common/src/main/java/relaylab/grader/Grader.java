package relaylab.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.GradeReport.TestOutcome;
import relaylab.grader.LessonCompiler.CompileFailure;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;
import relaylab.workbook.Tasks;
import relaylab.workbook.Todo;

/**
 * Grades one lesson: compiles its files with the lesson's tests, runs the tests and groups them by
 * task. Used by the {@code grade} command and by the build's workbook checks, so learners and the
 * build see the same results.
 */
public final class Grader {
    /** Seconds a single test may run before it is stopped and reported as timed out. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 20;

    private final Workbook workbook;
    private final int timeoutSeconds;

    /** A grader for the lessons of {@code workbook}, stopping each test after {@code timeoutSeconds}. */
    public Grader(Workbook workbook, int timeoutSeconds) {
        this.workbook = workbook;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Compiles and tests one variant of a lesson. Never throws for the learner's mistakes: a
     * compile error or a failing test is part of the report.
     *
     * @throws GradeException when the lesson's folder is missing
     */
    public GradeReport grade(LessonFolder lesson, Variant variant) {
        return grade(lesson, variant, null);
    }

    /** Like {@link #grade(LessonFolder, Variant)}, running only the tests of {@code onlyTask} when it is not null. */
    GradeReport grade(LessonFolder lesson, Variant variant, Integer onlyTask) {
        return grade(lesson, variant, onlyTask, false);
    }

    /**
     * Like {@link #grade(LessonFolder, Variant, Integer)}; with {@code untilFailed}, the run stops once each task
     * graded has a failing test (the tests left read "skipped"). For the build's proofs that a task fails, which
     * need one failing test and no more.
     */
    GradeReport grade(LessonFolder lesson, Variant variant, Integer onlyTask, boolean untilFailed) {
        Path folder = lesson.folder(variant);
        if (!Files.isDirectory(folder)) {
            throw new GradeException(workbook.root().relativize(folder) + " is missing; "
                    + (variant == Variant.SOLUTION ? "this lesson has no solution folder" : "restore it from git"));
        }
        List<Path> sources = new ArrayList<>(javaFiles(folder, false));
        List<Path> tests = javaFiles(lesson.exercise(), true);
        if (sources.isEmpty()) {
            throw new GradeException(workbook.root().relativize(folder) + " has no .java files to grade"
                    + (variant == Variant.EXERCISE ? "; restore them with: grade " + lesson.number() + " --reset" : ""));
        }
        List<String> learnerFiles = sources.stream().map(p -> p.getFileName().toString()).toList();
        sources.addAll(tests);
        Path output = LessonCompiler.newOutputFolder();
        List<Path> classPath = List.of(output, folder);
        // the tests' JVM starts while javac compiles: its start-up costs no waiting
        TestRunner.Child child = TestRunner.Child.start(classPath);
        try (LessonCompiler.Compiled compiled = new LessonCompiler(workbook.root()).compile(sources, folder, output)) {
            List<String> problems = new ArrayList<>();
            if (tests.isEmpty()) {
                problems.add(relative(lesson.exercise()) + " has no *Test.java file");
            }
            Lesson meta = lessonAnnotation(lesson, compiled.mainClasses(), problems);
            Map<Integer, Task> tasks = Map.of();
            try {
                tasks = Tasks.declaredOn(compiled.mainClasses());
            } catch (IllegalStateException e) {
                problems.add(relative(folder) + ": " + e.getMessage());
            }
            if (tasks.isEmpty()) {
                problems.add(relative(folder) + " declares no @Task");
            }
            List<TestOutcome> outcomes = new TestRunner(timeoutSeconds).run(child, classPath,
                    compiled.testClasses().stream().map(Class::getName).toList(), learnerFiles, onlyTask, untilFailed);
            List<TaskResult> results = new ArrayList<>();
            tasks.forEach((number, task) -> results.add(new TaskResult(number, task.title(), task.hint(),
                    outcomes.stream().filter(o -> o.tasks().contains(number)).toList())));
            if (onlyTask == null && !untilFailed) {
                problems.addAll(authoringProblems(lesson, tasks, outcomes));
            }
            Map<Integer, String> todoLines = new TreeMap<>();
            Set<Integer> todosLeft = new TreeSet<>();
            todos(folder, todoLines, todosLeft);
            return new GradeReport(lesson, variant, meta == null ? null : meta.title(), results, problems, null,
                    todosLeft, todoLines);
        } catch (CompileFailure e) {
            return new GradeReport(lesson, variant, null, List.of(), List.of(), e.getMessage());
        } finally {
            child.kill();
        }
    }

    /**
     * The tasks a lesson declares, read from the learner's files, or from the solution's when the
     * learner's files do not compile. Used to show a hint without grading.
     */
    public Map<Integer, Task> tasks(LessonFolder lesson) {
        LessonCompiler compiler = new LessonCompiler(workbook.root());
        for (Variant variant : Variant.values()) {
            Path folder = lesson.folder(variant);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (LessonCompiler.Compiled compiled = compiler.compile(javaFiles(folder, false), folder)) {
                return Tasks.declaredOn(compiled.mainClasses());
            } catch (CompileFailure e) {
                // the learner's file does not compile right now: the solution declares the same tasks
            }
        }
        throw new GradeException(lesson.label() + " does not compile, neither the exercise nor the solution");
    }

    /** A TODO's stub that still throws: {@code throw new UnsupportedOperationException("TODO 3: ...")} or a page's {@code throw new Error('TODO 5 ...')}. */
    private static final Pattern STUB = Pattern.compile("throw new \\w+\\(\\s*[\"']TODO (\\d+)\\b");
    private static final Pattern MARKER = Todo.MARKER;

    /** Finds, in the learner's files (not the tests), each task's first "// TODO k" line and the stubs still there. */
    private void todos(Path folder, Map<Integer, String> lines, Set<Integer> left) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> Pairing.isText(f.getFileName().toString()))
                    .filter(f -> !f.getFileName().toString().endsWith("Test.java"))
                    .filter(f -> !f.getFileName().toString().endsWith(".md")) // a README quotes TODO lines; the code has them
                    .sorted().toList()) {
                List<String> text = Files.readAllLines(file);
                for (int i = 0; i < text.size(); i++) {
                    Matcher marker = MARKER.matcher(text.get(i));
                    if (marker.find()) {
                        lines.putIfAbsent(Integer.parseInt(marker.group(1)), relative(file) + ":" + (i + 1));
                    }
                    Matcher stub = STUB.matcher(text.get(i));
                    if (stub.find()) {
                        left.add(Integer.parseInt(stub.group(1)));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // where the TODOs are is a courtesy of the report: without it, "Next" still names the first failing task
        }
    }

    private Lesson lessonAnnotation(LessonFolder lesson, List<Class<?>> mainClasses, List<String> problems) {
        List<Class<?>> annotated = mainClasses.stream().filter(c -> c.isAnnotationPresent(Lesson.class)).toList();
        if (annotated.size() != 1) {
            problems.add(relative(lesson.exercise()) + ": expected exactly one class with @Lesson, found "
                    + annotated.stream().map(Class::getName).toList());
            return null;
        }
        Lesson meta = annotated.get(0).getAnnotation(Lesson.class);
        if (meta.number() != lesson.number()) {
            problems.add(annotated.get(0).getName() + ".java says @Lesson(number = " + meta.number()
                    + ") but lives in folder " + lesson.name());
        }
        return meta;
    }

    private List<String> authoringProblems(LessonFolder lesson, Map<Integer, Task> tasks, List<TestOutcome> outcomes) {
        List<String> problems = new ArrayList<>();
        String testFolder = relative(lesson.exercise());
        for (Map.Entry<Integer, Task> task : tasks.entrySet()) {
            if (outcomes.stream().noneMatch(o -> o.tasks().contains(task.getKey()))) {
                problems.add(String.format("task %d (%s) has no test: tag a test in %s with @Tag(\"task:%d\")",
                        task.getKey(), task.getValue().title(), testFolder, task.getKey()));
            }
        }
        for (TestOutcome outcome : outcomes) {
            String where = testFolder + "/" + outcome.testClass() + ".java: test \"" + outcome.displayName() + "\"";
            if (outcome.tasks().isEmpty()) {
                problems.add(where + " has no @Tag(\"task:N\")");
            }
            for (int number : outcome.tasks()) {
                if (!tasks.containsKey(number)) {
                    problems.add(where + " is tagged task:" + number + ", but the lesson declares tasks " + tasks.keySet());
                }
            }
            if (outcome.method() != null && outcome.displayName().equals(outcome.method() + "()")) {
                problems.add(where + " has no @DisplayName sentence");
            }
        }
        return problems;
    }

    private String relative(Path path) {
        return workbook.root().relativize(path.toAbsolutePath().normalize()).toString();
    }

    /** The .java files directly in {@code folder}: the tests (*Test.java) or the others. */
    static List<Path> javaFiles(Path folder, boolean tests) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".java"))
                    .filter(p -> p.getFileName().toString().endsWith("Test.java") == tests)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
