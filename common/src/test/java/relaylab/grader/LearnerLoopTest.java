package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.LessonFolder.Variant;

/** What the learner sees between edits: "Next", tasks without a browser, --task, --diff and refused combinations. */
class LearnerLoopTest {
    @TempDir
    Path root;
    private Workbook workbook;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private String previousRoot;

    private static final String MAIN = """
            import relaylab.workbook.Lesson;
            import relaylab.workbook.Task;

            @Lesson(number = 1, title = "Three", summary = "Three small tasks.")
            public class Three {
                @Task(number = 1, title = "One", hint = "Return 1.")
                static int one() {
                    BODY1
                }

                @Task(number = 2, title = "Two", hint = "Return 2.")
                static int two() {
                    BODY2
                }

                @Task(number = 3, title = "Page", hint = "Needs a browser.")
                static int three() {
                    BODY3
                }
            }
            """;

    private static final String TEST = """
            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.Assumptions;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import relaylab.testing.Browser;

            class ThreeTest {
                @Test
                @Tag("task:1")
                @DisplayName("one() is 1")
                void one() {
                    assertThat(Three.one()).isEqualTo(1);
                }

                @Test
                @Tag("task:2")
                @DisplayName("two() is a number")
                void two() {
                    // deliberately weak: the stub of TODO 2 is never reached by this check
                    assertThat(Three.class).isNotNull();
                }

                @Test
                @Tag("task:3")
                @DisplayName("three() is 3 in a browser")
                void three() {
                    Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
                    assertThat(Three.three()).isEqualTo(3);
                }
            }
            """;

    @BeforeEach
    void workbook() throws IOException {
        Files.createDirectories(root.resolve("lessons/01-three"));
        Files.createDirectories(root.resolve("solutions/01-three"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{\"aliases\": {}}");
        Files.writeString(root.resolve("lessons/01-three/ThreeTest.java"), TEST);
        write("lessons", "// TODO 1: return 1 (task 1)\n throw new UnsupportedOperationException(\"TODO 1: one\");",
                "// TODO 2: return 2 (task 2)\n throw new UnsupportedOperationException(\"TODO 2: two\");", "return 3;");
        write("solutions", "return 1;", "return 2;", "return 3;");
        workbook = new Workbook(root);
        previousRoot = System.getProperty("relaylab.root");
        System.setProperty("relaylab.root", root.toString());
        System.setProperty("relaylab.chromium", "/nonexistent");
    }

    @AfterEach
    void restore() {
        System.clearProperty("relaylab.chromium");
        if (previousRoot == null) {
            System.clearProperty("relaylab.root");
        } else {
            System.setProperty("relaylab.root", previousRoot);
        }
    }

    private void write(String folder, String body1, String body2, String body3) throws IOException {
        Files.writeString(root.resolve(folder + "/01-three/Three.java"),
                MAIN.replace("BODY1", body1).replace("BODY2", body2).replace("BODY3", body3));
    }

    private int grade(String... args) {
        return GradeCommand.run(new Console(new PrintStream(printed, true, StandardCharsets.UTF_8), false), args);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("without a browser, a task whose tests need one is 'not checked here', not failing, and the exit status is 0")
    void noBrowser() {
        GradeReport report = new Grader(workbook, 20).grade(workbook.lesson("1"), Variant.SOLUTION);
        assertThat(report.tasks()).extracting(TaskResult::status)
                .containsExactly(Status.PASSED, Status.PASSED, Status.NOT_CHECKED);
        assertThat(report.tasks().get(2).tests().get(0).message()).startsWith("not checked here: needs Chrome or Chromium")
                .contains("/nonexistent");
        assertThat(report.allPassed()).isFalse();
        assertThat(report.allCheckedPass()).isTrue();
        assertThat(grade("01", "--solution")).as(printed()).isZero();
        assertThat(printed()).contains("3. Page — not checked here: needs Chrome or Chromium")
                .contains("All checked tasks pass (2 of 3); 1 not checked here: it needs Chrome or Chromium.")
                .contains("apt-get install");
    }

    @Test
    @DisplayName("a proof that a task fails (the build's) stops at its first failing test; the tests left read 'skipped', a pass runs all")
    void untilFailedStopsAtTheFirstFailure() throws IOException {
        Files.writeString(root.resolve("lessons/01-three/MoreTest.java"), """
                import static org.assertj.core.api.Assertions.assertThat;
                import org.junit.jupiter.api.DisplayName;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;

                class MoreTest {
                    @Test
                    @Tag("task:1")
                    @DisplayName("one() is 1, asked again")
                    void again() {
                        assertThat(Three.one()).isEqualTo(1);
                    }

                    @Test
                    @Tag("task:1")
                    @DisplayName("one() is 1, asked a third time")
                    void third() {
                        assertThat(Three.one()).isEqualTo(1);
                    }
                }
                """);
        Grader grader = new Grader(workbook, 20);
        LessonFolder lesson = workbook.lesson("1");
        assertThat(grader.grade(lesson, Variant.EXERCISE, 1, false).tasks().get(0).tests()).extracting(GradeReport.TestOutcome::status)
                .containsExactly(Status.FAILED, Status.FAILED, Status.FAILED);
        TaskResult proof = grader.grade(lesson, Variant.EXERCISE, 1, true).tasks().get(0);
        assertThat(proof.tests()).extracting(GradeReport.TestOutcome::status)
                .containsExactlyInAnyOrder(Status.FAILED, Status.SKIPPED, Status.SKIPPED);
        assertThat(proof.tests()).filteredOn(t -> t.status() == Status.SKIPPED).extracting(GradeReport.TestOutcome::message)
                .allMatch(m -> m.contains("not needed: the task's failure is proven"));
        assertThat(grader.grade(lesson, Variant.SOLUTION, 1, true).tasks().get(0).tests()).extracting(GradeReport.TestOutcome::status)
                .containsExactly(Status.PASSED, Status.PASSED, Status.PASSED);
    }

    @Test
    @DisplayName("Next names the first task whose TODO stub is still there, even when its weak check passes")
    void nextIsFirstTodoLeft() throws IOException {
        write("lessons", "return 1;", "// TODO 2: return 2 (task 2)\n throw new UnsupportedOperationException(\"TODO 2: two\");",
                "return 0;");
        System.clearProperty("relaylab.chromium"); // task 3 is checked where a browser is installed, and skipped otherwise
        GradeReport report = new Grader(workbook, 20).grade(workbook.lesson("1"), Variant.EXERCISE);
        assertThat(report.tasks().get(1).status()).isEqualTo(Status.PASSED);
        assertThat(report.todosLeft()).containsExactly(2);
        assertThat(report.next()).isEqualTo(2);
        assertThat(report.todoLocation(2)).isEqualTo("lessons/01-three/Three.java:13");
        assertThat(grade("01")).isEqualTo(1);
        // the test runs outside the temporary workbook, so the path is printed as it works from here: absolute
        assertThat(printed()).contains("Next: task 2 — its TODO is still to do: see \"// TODO 2\" in " + root.toAbsolutePath().normalize()
                .resolve("lessons/01-three/Three.java") + ":13");
    }

    @Test
    @DisplayName("--watch moves on to the next lesson once every task passes, grades it, and grades again when a file is saved")
    void watchMovesOn() throws Exception {
        write("lessons", "return 1;", "return 2;", "return 3;"); // lesson 01 solved (task 3 is not checked here: no browser)
        Files.createDirectories(root.resolve("lessons/02-two"));
        Files.createDirectories(root.resolve("solutions/02-two"));
        Files.writeString(root.resolve("lessons/02-two/TwoTest.java"), """
                import static org.assertj.core.api.Assertions.assertThat;
                import org.junit.jupiter.api.DisplayName;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;

                class TwoTest {
                    @Test
                    @Tag("task:1")
                    @DisplayName("four() is 4")
                    void four() {
                        assertThat(Two.four()).isEqualTo(4);
                    }
                }
                """);
        String two = """
                import relaylab.workbook.Lesson;
                import relaylab.workbook.Task;

                @Lesson(number = 2, title = "Two", summary = "One task.")
                public class Two {
                    @Task(number = 1, title = "Four", hint = "Return 4.")
                    static int four() {
                        BODY
                    }
                }
                """;
        Files.writeString(root.resolve("lessons/02-two/Two.java"),
                two.replace("BODY", "// TODO 1: return 4 (task 1)\n throw new UnsupportedOperationException(\"TODO 1: four\");"));
        Files.writeString(root.resolve("solutions/02-two/Two.java"), two.replace("BODY", "return 4;"));
        Transcript transcript = new Transcript();
        Thread watching = new Thread(() -> GradeCommand.run(new Console(new PrintStream(transcript, true, StandardCharsets.UTF_8), false),
                "01", "--watch"), "grade-watch");
        watching.start();
        try {
            transcript.await("On to lesson 02: watching ");
            transcript.await("0 of 1 tasks pass.");
            String watchingTwo = "Watching " + root.toAbsolutePath().normalize().resolve("lessons/02-two");
            transcript.await(watchingTwo);
            assertThat(transcript.text()).as("lesson 01 was graded first, then lesson 02")
                    .containsSubsequence("Lesson 01 · Three", "All checked tasks pass (2 of 3)", "On to lesson 02", "Lesson 02 · Two");
            Files.writeString(root.resolve("lessons/02-two/Two.java"), two.replace("BODY", "return 4;"));
            transcript.await("✔ 1 of 1 tasks pass. Lesson 02 is done.");
            assertThat(transcript.text()).as("graded again after the save").contains("change seen at")
                    .doesNotContain("On to lesson 03");
        } finally {
            watching.interrupt();
            watching.join(Duration.ofSeconds(30).toMillis());
        }
        assertThat(watching.isAlive()).as("--watch ends when interrupted (Ctrl-C)").isFalse();
    }

    /** What a command printed, for a test to wait on: each write wakes the waiting test. */
    private static final class Transcript extends OutputStream {
        private static final Duration DEADLINE = Duration.ofSeconds(120); // a grade on a loaded build machine
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!text().contains(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for \"" + expected + "\"; printed so far:\n" + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    @Test
    @DisplayName("--task N grades only that task and says whether it passes")
    void oneTask() throws IOException {
        assertThat(grade("01", "--task", "2")).isZero();
        assertThat(printed()).contains("✔ 2. Two").contains("✔ Task 2 passes.").doesNotContain("1. One");
        assertThat(grade("01", "--task", "1")).isEqualTo(1);
        assertThat(printed()).contains("Task 1 does not pass yet. See \"// TODO 1\" in ")
                .contains("lessons/01-three/Three.java:8.");
        assertThat(grade("01", "--task", "7")).isEqualTo(2);
    }

    @Test
    @DisplayName("--diff waits until the lesson passes, then shows the learner's lines next to the solution's")
    void diff() throws IOException {
        assertThat(grade("01", "--diff")).isEqualTo(1);
        assertThat(printed()).contains("--diff shows the workbook's solution once your lesson passes; 1 of 3 tasks pass now")
                .doesNotContain("return 1;");
        write("lessons", "return 2 - 1;", "return 2;", "return 3;");
        assertThat(grade("01", "--diff")).as(printed()).isZero();
        assertThat(printed()).contains("Three.java").contains("- " + "        return 2 - 1;").contains("+ " + "        return 1;");
    }

    @Test
    @DisplayName("the printed output of a failing test drops log headers, routine INFO lines, repeats, and TODO warnings the failure names")
    void printedOutputIsTheUsefulPart() {
        String server = """
                Dec 01, 2026 2:23:31 AM relaylab.realtime.RealtimeServer handlerFailed
                WARNING: connection listener is not written yet: TODO 1: welcome the newcomer (socket x; not logged again)
                INFO: connection abc: WebSocket error java.net.SocketException: Connection reset; closing it
                the lesson's own line
                the lesson's own line
                the lesson's own line
                WARNING: something the learner should see
                """;
        assertThat(ReportPrinter.useful(server, "not written yet: TODO 1: welcome the newcomer")).isEqualTo("""
                the lesson's own line
                  (the line above 3 times)
                WARNING: something the learner should see""");
        assertThat(ReportPrinter.useful(server, "client 3 did not receive a matching 'welcome' within 5000 ms"))
                .as("when the failure does not name the TODO, the server's warning about it is the clue")
                .startsWith("WARNING: connection listener is not written yet: TODO 1");
    }

    @Test
    @DisplayName("options that do one thing each are refused together, naming both commands")
    void refusedCombinations() {
        assertThat(grade("01", "--reset", "--hint", "2")).isEqualTo(2);
        assertThat(grade("01", "--diff", "--watch")).isEqualTo(2);
    }
}
