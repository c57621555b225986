package relaylab.grader;

import java.util.List;
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
 */
public record GradeReport(LessonFolder lesson, LessonFolder.Variant variant, String title, List<TaskResult> tasks,
        List<String> problems, String compileError) {

    /** True when the lesson compiled, has no authoring problems and every task passes. */
    public boolean allPassed() {
        return compileError == null && problems.isEmpty() && !tasks.isEmpty()
                && tasks.stream().allMatch(t -> t.status() == Status.PASSED);
    }

    /** How many tasks pass. */
    public long passed() {
        return tasks.stream().filter(t -> t.status() == Status.PASSED).count();
    }

    /** How a test, or a whole task, ended. */
    public enum Status {
        PASSED, FAILED, TIMED_OUT, SKIPPED
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
        /** FAILED or TIMED_OUT when any test did, SKIPPED when all were skipped, else PASSED. */
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
