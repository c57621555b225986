package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.LessonFolder.Variant;

/** The grader on a tiny workbook made in a temporary folder. */
class GraderTest {
    @TempDir
    Path root;
    private Workbook workbook;

    private static final String MAIN = """
            import relaylab.workbook.Lesson;
            import relaylab.workbook.Task;

            @Lesson(number = 1, title = "Tiny", summary = "A lesson for the grader's own tests.")
            public class Tiny {
                @Task(number = 1, title = "Add", hint = "Use +.")
                static int add(int a, int b) {
                    BODY1
                }

                @Task(number = 2, title = "Loop", hint = "Stop at some point.")
                static int loop() {
                    // the exercise waits forever (interruptibly, so the build's JVM gets its thread back)
                    BODY2
                }
            }
            """;

    private static final String TEST = """
            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            class TinyTest {
                @Test
                @Tag("task:1")
                @DisplayName("add() adds")
                void adds() {
                    assertThat(Tiny.add(2, 3)).as("add(2, 3)").isEqualTo(5);
                }

                @Test
                @Tag("task:2")
                @DisplayName("loop() returns")
                void loops() {
                    assertThat(Tiny.loop()).as("loop()").isEqualTo(7);
                }
            }
            """;

    @BeforeEach
    void workbook() throws IOException {
        Files.createDirectories(root.resolve("lessons/01-tiny"));
        Files.createDirectories(root.resolve("solutions/01-tiny"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{\"aliases\": {}}");
        Files.writeString(root.resolve("lessons/01-tiny/TinyTest.java"), TEST);
        write("lessons", "throw new UnsupportedOperationException(\"TODO 1: add\");", "try { new java.util.concurrent.CountDownLatch(1).await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } return 0;");
        write("solutions", "return a + b;", "return 7;");
        workbook = new Workbook(root);
    }

    private void write(String folder, String body1, String body2) throws IOException {
        Files.writeString(root.resolve(folder + "/01-tiny/Tiny.java"), MAIN.replace("BODY1", body1).replace("BODY2", body2));
    }

    @Test
    @DisplayName("a solution that passes reports every task passed")
    void solutionPasses() {
        GradeReport report = new Grader(workbook, 5).grade(workbook.lesson("1"), Variant.SOLUTION);
        assertThat(report.title()).isEqualTo("Tiny");
        assertThat(report.problems()).isEmpty();
        assertThat(report.allPassed()).as(WorkbookCheckTest.printed(report)).isTrue();
    }

    @Test
    @DisplayName("an unwritten TODO is reported as not written yet, and a hanging test as timed out")
    void todoAndTimeout() {
        GradeReport report = new Grader(workbook, 1).grade(workbook.lesson("01"), Variant.EXERCISE);
        assertThat(report.tasks()).extracting(GradeReport.TaskResult::status).containsExactly(Status.FAILED, Status.TIMED_OUT);
        assertThat(report.tasks().get(0).tests().get(0).message()).startsWith("not written yet: TODO 1: add").contains("Tiny.java:");
        assertThat(report.tasks().get(1).tests().get(0).message())
                .startsWith("task 2 did not finish in 1 s: it was waiting in Tiny.loop (Tiny.java:14)");
        assertThat(report.allPassed()).isFalse();
    }

    @Test
    @DisplayName("a compile error is reported with file, line and the compiler's message")
    void compileError() throws IOException {
        write("lessons", "return a + ;", "return 7;");
        GradeReport report = new Grader(workbook, 5).grade(workbook.lesson("1"), Variant.EXERCISE);
        assertThat(report.compileError()).contains("lessons/01-tiny/Tiny.java:8: error: illegal start of expression")
                .contains("return a + ;").doesNotContain("at relaylab");
    }

    @Test
    @DisplayName("tests without a task tag, with an unknown task, or tasks without tests are authoring problems")
    void authoringProblems() throws IOException {
        Files.writeString(root.resolve("lessons/01-tiny/TinyTest.java"), TEST.replace("@Tag(\"task:2\")", "@Tag(\"task:9\")")
                .replace("@Tag(\"task:1\")", ""));
        GradeReport report = new Grader(workbook, 5).grade(workbook.lesson("1"), Variant.SOLUTION);
        assertThat(report.problems()).anyMatch(p -> p.contains("task 1 (Add) has no test"))
                .anyMatch(p -> p.contains("TinyTest.java: test \"add() adds\" has no @Tag"))
                .anyMatch(p -> p.contains("is tagged task:9, but the lesson declares tasks [1, 2]"));
        assertThat(report.allPassed()).isFalse();
    }

    @Test
    @DisplayName("unknown lessons and bad numbers get a message with the range of lessons")
    void badLessonNumbers() {
        assertThatThrownBy(() -> workbook.lesson("99")).isInstanceOf(GradeException.class).hasMessage("no lesson 99; lessons are 01–01");
        assertThatThrownBy(() -> workbook.lesson("abc")).isInstanceOf(GradeException.class)
                .hasMessageContaining("'abc' is not a lesson number; lessons are 01–01");
        assertThat(workbook.lesson("lesson01").name()).isEqualTo("01-tiny");
    }

    @Test
    @DisplayName("the grade command exits 2 with one line for a lesson that does not exist")
    void commandBadInput() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        String previousRoot = System.getProperty("relaylab.root");
        System.setProperty("relaylab.root", root.toString());
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(GradeCommand.run("42")).isEqualTo(2);
        } finally {
            System.setErr(previous);
            System.setProperty("relaylab.root", previousRoot == null ? "" : previousRoot);
            if (previousRoot == null) {
                System.clearProperty("relaylab.root");
            }
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("grade: no lesson 42; lessons are 01–01" + System.lineSeparator());
    }

    @Test
    @DisplayName("hints are read from the solution when the learner's file does not compile")
    void hintsSurviveCompileErrors() throws IOException {
        write("lessons", "return a + ;", "return 7;");
        assertThat(new Grader(workbook, 5).tasks(workbook.lesson("1")).get(2).hint()).isEqualTo("Stop at some point.");
    }
}
