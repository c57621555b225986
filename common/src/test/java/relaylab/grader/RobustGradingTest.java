package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.GradeReport.TestOutcome;
import relaylab.grader.LessonFolder.Variant;

/**
 * The grader against deliberately broken learner code: it must always end with a normal report
 * that says what happened and where, because the tests run in a JVM the grader can kill.
 */
class RobustGradingTest {
    @TempDir
    Path root;
    private Workbook workbook;

    private static final String MAIN = """
            import relaylab.workbook.Lesson;
            import relaylab.workbook.Task;

            @Lesson(number = 1, title = "Broken", summary = "Learner code that misbehaves.")
            public class Broken {
                @Task(number = 1, title = "Add", hint = "Use +.")
                static int add(int a, int b) {
                    return a + b;
                }

                @Task(number = 2, title = "Misbehave", hint = "Do not.")
                static int misbehave() {
                    BODY
                }
            }
            """;

    private static final String TEST = """
            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            class BrokenTest {
                @Test
                @Tag("task:1")
                @DisplayName("add() adds")
                void adds() {
                    assertThat(Broken.add(2, 3)).isEqualTo(5);
                }

                @Test
                @Tag("task:2")
                @DisplayName("misbehave() returns 7")
                void first() {
                    assertThat(Broken.misbehave()).isEqualTo(7);
                }

                @Test
                @Tag("task:2")
                @DisplayName("misbehave() returns 7 again")
                void second() {
                    assertThat(Broken.misbehave()).isEqualTo(7);
                }

                @Test
                @Tag("task:2")
                @DisplayName("misbehave() returns 7 a third time")
                void third() {
                    assertThat(Broken.misbehave()).isEqualTo(7);
                }
            }
            """;

    @BeforeEach
    void workbook() throws IOException {
        Files.createDirectories(root.resolve("lessons/01-broken"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{\"aliases\": {}}");
        workbook = new Workbook(root);
    }

    private GradeReport grade(String body, int timeoutSeconds) throws IOException {
        return grade(body, timeoutSeconds, TEST);
    }

    private GradeReport grade(String body, int timeoutSeconds, String test) throws IOException {
        Files.writeString(root.resolve("lessons/01-broken/Broken.java"), MAIN.replace("BODY", body));
        Files.writeString(root.resolve("lessons/01-broken/BrokenTest.java"), test);
        return new Grader(workbook, timeoutSeconds).grade(workbook.lesson("1"), Variant.EXERCISE);
    }

    private static List<TestOutcome> misbehaving(GradeReport report) {
        return report.tasks().get(1).tests();
    }

    @Test
    @DisplayName("an endless loop is stopped and reported with the method and line it was busy in; the same loop stops later tests early")
    void endlessLoop() throws IOException {
        GradeReport report = grade("long n = 0; while (n >= 0) { n = (n + 1) % 1000; } return (int) n;", 3);
        assertThat(report.tasks()).extracting(TaskResult::status).containsExactly(Status.PASSED, Status.TIMED_OUT);
        List<TestOutcome> tests = misbehaving(report);
        assertThat(tests).hasSize(3).allMatch(t -> t.status() == Status.TIMED_OUT);
        // the first test that meets the loop waits the full timeout; the next ones are recognised as the same loop
        // (and stopped early when the machine is quick enough to see it before their own timeout)
        assertThat(tests).filteredOn(t -> t.message().equals("task 2 did not finish in 3 s: it was busy in"
                + " Broken.misbehave (Broken.java:13) (an endless loop, or waiting for something that never came?)")).hasSize(1);
        assertThat(tests).filteredOn(t -> t.message().contains("busy in Broken.misbehave (Broken.java:13)")
                && t.message().endsWith("the loop that stopped an earlier test")
                || t.message().endsWith("the loop that stopped an earlier test, so it was stopped early")).hasSize(2);
    }

    @Test
    @DisplayName("an allocation loop is reported as running out of memory, with where, and the other tests still run")
    void allocationLoop() throws IOException {
        GradeReport report = grade("java.util.List<long[]> all = new java.util.ArrayList<>();"
                + " while (all.size() >= 0) { all.add(new long[1 << 20]); } return all.size();", 30);
        assertThat(report.tasks().get(0).status()).isEqualTo(Status.PASSED);
        assertThat(misbehaving(report)).hasSize(3).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(Status.FAILED);
            assertThat(t.message()).contains("ran out of memory").contains("Broken.java");
        });
    }

    @Test
    @DisplayName("System.exit in the learner's code is reported with its status and line, and grading goes on")
    void systemExit() throws IOException {
        GradeReport report = grade("System.exit(3); return 7;", 30);
        assertThat(report.tasks().get(0).status()).isEqualTo(Status.PASSED);
        assertThat(misbehaving(report)).hasSize(3).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(Status.FAILED);
            assertThat(t.message()).startsWith("the code called System.exit(3) in Broken.misbehave (Broken.java:13)");
        });
    }

    @Test
    @DisplayName("a thread the learner's code leaves running does not keep the grader from ending")
    void threadLeftRunning() throws IOException {
        GradeReport report = grade("Thread t = new Thread(() -> { while (true) { Thread.onSpinWait(); } });"
                + " t.setDaemon(false); t.start(); return 7;", 30);
        assertThat(report.allPassed()).as(WorkbookCheckTest.printed(report)).isTrue();
    }

    @Test
    @DisplayName("a test that prints 100 MB is reported with the start and end of its output only")
    void hugeOutput() throws IOException {
        GradeReport report = grade("""
                String line = "x".repeat(1023) + "\\n";
                for (int i = 0; i < 100 * 1024; i++) { System.out.print(line); }
                System.out.println("the last line");
                return 8;""", 30);
        TestOutcome test = misbehaving(report).get(0);
        assertThat(test.status()).isEqualTo(Status.FAILED);
        assertThat(test.output().length()).isLessThan(3 * OutputCapture.KEEP);
        assertThat(test.output()).contains("more bytes of output left out").endsWith("the last line\n");
    }

    @Test
    @DisplayName("a test that declares a longer @Timeout than the grading limit gets that long (lesson 12 kills twenty processes)")
    void declaredTimeoutIsHonoured() throws IOException {
        String slow = "long end = System.nanoTime() + 2_500_000_000L; while (System.nanoTime() < end) { Thread.onSpinWait(); }"
                + " return 7;";
        GradeReport undeclared = grade(slow, 1);
        assertThat(undeclared.tasks().get(1).status()).as(WorkbookCheckTest.printed(undeclared)).isEqualTo(Status.TIMED_OUT);
        GradeReport declared = grade(slow, 1,
                TEST.replace("@Tag(\"task:2\")", "@Tag(\"task:2\") @org.junit.jupiter.api.Timeout(60)"));
        assertThat(declared.allPassed()).as(WorkbookCheckTest.printed(declared)).isTrue();
    }
}
