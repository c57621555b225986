package relaylab.grader;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What grading one lesson found: each task with its tests, authoring problems (a task without a
 * test, a test without a task), or the compiler's messages when the lesson does not compile.
 *
 * @param lesson       the lesson folder
 * @param variant      exercise or solution
 * @param title        the {@code @Lesson} title, or null when it could not be read
 * @param tasks        every declared task, by number
 * @param problems     authoring problems, each naming the file to fix; empty when all is well
 * @param compileError javac's messages, or null when the lesson compiled
 * @param todosLeft    the tasks whose {@code TODO k} stub still throws in the learner's files
 * @param todoLines    for each task, where its first {@code // TODO k} marker is ("lessons/01-events/Events.java:54")
 */
public record GradeReport(LessonFolder lesson, LessonFolder.Variant variant, String title, List<TaskResult> tasks,
        List<String> problems, String compileError, Set<Integer> todosLeft, Map<Integer, String> todoLines) {

    /** A report without TODO positions, for a lesson that did not compile. */
    public GradeReport(LessonFolder lesson, LessonFolder.Variant variant, String title, List<TaskResult> tasks,
            List<String> problems, String compileError) {
        this(lesson, variant, title, tasks, problems, compileError, Set.of(), Map.of());
    }

    /**
     * The task to work on next: the first whose TODO stub is still there or whose checks fail (a
     * task not checked for want of a browser is neither); null when there is none.
     */
    public Integer next() {
        return tasks.stream()
                .filter(t -> todosLeft.contains(t.number()) || t.status() != Status.PASSED && t.status() != Status.NOT_CHECKED)
                .map(TaskResult::number).findFirst().orElse(null);
    }

    /** This report with only task {@code number}, for {@code grade NN --task N}. */
    public GradeReport onlyTask(int number) {
        return new GradeReport(lesson, variant, title, tasks.stream().filter(t -> t.number() == number).toList(), problems,
                compileError, todosLeft, todoLines);
    }

    /** Where task {@code number}'s "// TODO" marker is, or null when the learner's files have none. */
    public String todoLocation(int number) {
        return todoLines.get(number);
    }

    /** True when the lesson compiled, has no authoring problems and every task passes. */
    public boolean allPassed() {
        return compileError == null && problems.isEmpty() && !tasks.isEmpty()
                && tasks.stream().allMatch(t -> t.status() == Status.PASSED);
    }

    /**
     * True when every task that could be checked here passes: like {@link #allPassed()}, but a task
     * {@link Status#NOT_CHECKED not checked} for want of a browser does not count against it.
     */
    public boolean allCheckedPass() {
        return compileError == null && problems.isEmpty() && !tasks.isEmpty()
                && tasks.stream().allMatch(t -> t.status() == Status.PASSED || t.status() == Status.NOT_CHECKED);
    }

    /** How many tasks could not be checked here for want of a browser. */
    public long notChecked() {
        return tasks.stream().filter(t -> t.status() == Status.NOT_CHECKED).count();
    }

    /** How many tasks pass. */
    public long passed() {
        return tasks.stream().filter(t -> t.status() == Status.PASSED).count();
    }

    /** How a test, or a whole task, ended. */
    public enum Status {
        PASSED, FAILED, TIMED_OUT, SKIPPED,
        /** Skipped because no browser is installed here: not a failure, and not a pass either. */
        NOT_CHECKED
    }

    /**
     * One task and the tests tagged with it.
     *
     * @param number the task number
     * @param title  the {@code @Task} title
     * @param hint   the {@code @Task} hint
     * @param tests  the outcomes of the tests tagged {@code task:number}
     */
    public record TaskResult(int number, String title, String hint, List<TestOutcome> tests) {
        /**
         * FAILED or TIMED_OUT when any test did, NOT_CHECKED when any test could not run for want of a
         * browser, SKIPPED when all were skipped, else PASSED.
         */
        public Status status() {
            if (tests.isEmpty()) {
                return Status.FAILED;
            }
            if (tests.stream().anyMatch(t -> t.status() == Status.TIMED_OUT)) {
                return Status.TIMED_OUT;
            }
            if (tests.stream().anyMatch(t -> t.status() == Status.FAILED)) {
                return Status.FAILED;
            }
            if (tests.stream().anyMatch(t -> t.status() == Status.NOT_CHECKED)) {
                return Status.NOT_CHECKED;
            }
            return tests.stream().allMatch(t -> t.status() == Status.SKIPPED) ? Status.SKIPPED : Status.PASSED;
        }
    }

    /**
     * One test's result.
     *
     * @param testClass   the simple name of the test class
     * @param displayName the {@code @DisplayName} sentence
     * @param method      the test method's name, or null for a test that is not a method
     * @param tasks       the task numbers from its {@code task:N} tags
     * @param status      how it ended
     * @param message     for a failure: what went wrong, for the learner; otherwise null
     * @param output      what the test printed, or an empty string
     */
    public record TestOutcome(String testClass, String displayName, String method, Set<Integer> tasks, Status status,
            String message, String output) {
    }
}
