package relaylab.present;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.PatchFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.grader.GradeException;
import relaylab.grader.LessonFolder;
import relaylab.grader.Workbook;
import relaylab.workbook.Task;
import relaylab.workbook.Todo;

/** {@code present NN}: the steps of real lessons, --step, the interactive keys fed on stdin, bad input, colours. */
class PresentCommandTest {
    private static final Workbook WORKBOOK = new Workbook(Path.of(System.getProperty("relaylab.root", "..")));

    /** One line of lesson 01's solution per task, written only by that task. */
    private static final List<String> LESSON01_TASK_LINES = List.of(
            "listeners.computeIfAbsent(event, name -> new ArrayList<>()).add(listener);",
            "List<Listener> current = List.copyOf(listeners.getOrDefault(event, List.of()));",
            "if (l == listener || l instanceof Once once && once.original() == listener) {",
            "return on(event, new Once(this, event, listener));",
            "errors.add(event + \": \" + e.getMessage());",
            "Map<Method, String> accepted = new HashMap<>();");

    @Test
    @DisplayName("lesson 01: step k adds task k's solution lines, removes TODO k, and shows no other task's")
    void lesson01StepsFollowTheTasks() throws IOException {
        LessonFolder lesson = WORKBOOK.lesson("01");
        String solution = Files.readString(lesson.solution().resolve("Events.java"));
        LESSON01_TASK_LINES.forEach(line -> assertThat(solution).as("lesson 01's solution (update this test's table)").contains(line));
        Result run = run(WORKBOOK, "", false, "01", "--step", "0");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Lesson 01 · Events").contains("step 0 of 6")
                .contains("Task 1 · Register listeners with on()")
                .contains("lessons/01-events/Events.java:53  // TODO 1: add the listener");
        LessonSteps steps = LessonSteps.of(WORKBOOK, lesson, tasks(1, 2, 3, 4, 5, 6), new Committed(WORKBOOK.root()));
        for (int k = 1; k <= 6; k++) {
            String shown = print(steps, k);
            assertThat(shown).as("step %d", k).contains("step " + k + " of 6")
                    .containsPattern("(?m)^-\\s*// TODO " + k + ":");
            for (int j = 1; j <= 6; j++) {
                String line = LESSON01_TASK_LINES.get(j - 1);
                if (j == k) {
                    assertThat(shown).as("step %d shows task %d's line", k, j).containsPattern("(?m)^\\+\\s*" + java.util.regex.Pattern.quote(line));
                } else {
                    assertThat(shown).as("step %d must not show task %d's line", k, j).doesNotContain(line);
                    assertThat(shown).as("step %d removes no TODO %d", k, j).doesNotContainPattern("(?m)^-.*\\bTODO " + j + "\\b");
                }
            }
        }
    }

    @Test
    @DisplayName("every lesson: the steps, applied one after the other as printed, turn the exercise into the solution")
    void everyLessonStepsRebuildTheSolution() throws IOException, PatchFailedException {
        for (LessonFolder lesson : WORKBOOK.lessons()) {
            LessonSteps steps = LessonSteps.of(WORKBOOK, lesson, tasks(markedTasks(lesson)), new Committed(WORKBOOK.root()));
            Map<String, List<String>> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(lesson.solution())) {
                for (Path solution : walk.filter(Files::isRegularFile).filter(f -> relaylab.grader.Pairing.isText(f.toString())).toList()) {
                    Path exercise = lesson.exercise().resolve(lesson.solution().relativize(solution).toString());
                    files.put(WORKBOOK.root().relativize(exercise).toString(), Files.readAllLines(exercise));
                }
            }
            for (int k = 1; k <= steps.lastStep(); k++) {
                for (LessonSteps.FileDiff diff : steps.diff(k)) {
                    List<String> unified = new ArrayList<>(List.of("--- " + diff.file(), "+++ " + diff.file()));
                    unified.addAll(diff.lines());
                    files.put(diff.file(), DiffUtils.patch(files.get(diff.file()), UnifiedDiffUtils.parseUnifiedDiff(unified)));
                }
            }
            files.forEach((exercise, lines) -> {
                Path solution = WORKBOOK.root().resolve(exercise.replaceFirst("^lessons/", "solutions/"));
                try {
                    assertThat(lines).as("%s after all steps of %s", exercise, lesson.label()).isEqualTo(Files.readAllLines(solution));
                } catch (IOException e) {
                    throw new AssertionError("cannot read " + solution, e);
                }
            });
        }
    }

    @Test
    @DisplayName("keys fed on stdin: n, n, p, an unknown key, p at the first step, a jump, q")
    void interactiveWalk() {
        Result run = run(WORKBOOK, "n\nn\np\nx\n0\np\n6\nn\nq\nn\n", false, "01");
        assertThat(run.status()).isZero();
        List<String> headers = run.out().lines().filter(line -> line.startsWith("Lesson 01 · Events — step ")).toList();
        assertThat(headers).extracting(line -> line.replaceFirst(".* step (\\d+) of 6.*", "$1"))
                .containsExactly("0", "1", "2", "1", "0", "6");
        assertThat(run.out()).contains("'x' is not a key here").contains("This is the first step")
                .contains("That was the last step");
        assertThat(run.out().indexOf("That was the last step")).isGreaterThan(run.out().indexOf("Lesson 01 · Events — step 6 of 6"));
    }

    @Test
    @DisplayName("single keys (a terminal): the same walk without Enter, space as next; the terminal is given back at the end")
    void singleKeyWalk() {
        boolean[] closed = {false};
        Result run = run(WORKBOOK, "nnpx0p6 q", false, () -> () -> closed[0] = true, "01");
        assertThat(run.status()).isZero();
        List<String> headers = run.out().lines().filter(line -> line.startsWith("Lesson 01 · Events — step ")).toList();
        assertThat(headers).extracting(line -> line.replaceFirst(".* step (\\d+) of 6.*", "$1"))
                .containsExactly("0", "1", "2", "1", "0", "6");
        assertThat(run.out()).contains("'x' is not a key here").contains("This is the first step")
                .contains("That was the last step").doesNotContain("(then Enter)");
        assertThat(closed[0]).as("the single-key mode closed (the terminal restored)").isTrue();
        assertThat(run(WORKBOOK, "q\n", false, "01").out()).as("line mode says so").contains("(then Enter)");
        // a clicker's keys: right arrow, Page Down, left arrow, Page Up, F5 (nothing), down arrow
        Result clicker = run(WORKBOOK, "\u001b[C\u001b[6~\u001b[D\u001b[5~\u001b[15~\u001bOBq", false, () -> () -> { }, "01");
        assertThat(clicker.out().lines().filter(line -> line.startsWith("Lesson 01 · Events — step ")).toList())
                .extracting(line -> line.replaceFirst(".* step (\\d+) of 6.*", "$1")).containsExactly("0", "1", "2", "1", "0", "1");
    }

    @Test
    @DisplayName("end of input ends the walk after the TODOs")
    void endOfInput() {
        Result run = run(WORKBOOK, "", false, "1");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("step 0 of 6").doesNotContain("step 1 of 6");
    }

    @Test
    @DisplayName("--step: out of range, negative and not a number are refused with the range or the reason")
    void stepParsing() {
        Result high = run(WORKBOOK, "", false, "01", "--step", "7");
        assertThat(high.status()).isEqualTo(2);
        assertThat(high.err()).contains("present: lesson 01 has steps 0–6").contains("no step 7");
        Result negative = run(WORKBOOK, "", false, "01", "--step", "-1");
        assertThat(negative.status()).isEqualTo(2);
        assertThat(negative.err()).contains("--step must be 0");
        Result word = run(WORKBOOK, "", false, "01", "--step", "two");
        assertThat(word.status()).isEqualTo(2);
        assertThat(word.err()).contains("'two' is not an int").contains("Usage: present");
        Result last = run(WORKBOOK, "", false, "01", "--step", "6");
        assertThat(last.status()).isZero();
        assertThat(last.out()).contains("step 6 of 6").contains("Task 6 · Register @On methods");
    }

    @Test
    @DisplayName("an unknown lesson gets the grader's message and status 2, before anything is compiled")
    void unknownLesson() {
        for (String typed : List.of("99", "abc")) {
            String graders = assertThatThrownBy(() -> WORKBOOK.lesson(typed)).isInstanceOf(GradeException.class)
                    .actual().getMessage();
            Result run = run(WORKBOOK, "", false, typed);
            assertThat(run.status()).as("present %s", typed).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("present: " + graders);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    @DisplayName("colours only when wanted: plain output holds no escape codes; NO_COLOR, TERM=dumb and no terminal turn them off")
    void colours() {
        Result plain = run(WORKBOOK, "", false, "01", "--step", "1");
        assertThat(plain.out()).contains("+            listeners.computeIfAbsent").doesNotContain("\u001b[");
        Result coloured = run(WORKBOOK, "", true, "01", "--step", "1");
        assertThat(coloured.out()).contains("\u001b[32m+            listeners.computeIfAbsent").contains("\u001b[31m-");
        assertThat(relaylab.grader.Console.colorWanted(true, null, "xterm-256color")).isTrue();
        assertThat(relaylab.grader.Console.colorWanted(true, "", "xterm")).isFalse();
        assertThat(relaylab.grader.Console.colorWanted(true, null, "dumb")).isFalse();
        assertThat(relaylab.grader.Console.colorWanted(false, null, "xterm")).isFalse();
    }

    @Test
    @DisplayName("an exercise edited by the instructor: the steps start from the committed exercise, and say so")
    void editedExerciseUsesGit(@TempDir Path dir) throws Exception {
        Workbook copy = copyLesson01(dir);
        git(dir, "init", "-q");
        git(dir, "add", ".");
        git(dir, "-c", "user.name=Relay Lab test", "-c", "user.email=test@relaylab.invalid", "commit", "-q", "-m", "lesson 01");
        liveCodeTask1(dir);

        Result run = run(copy, "", false, "01", "--step", "1");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Note: lessons/01-events/Events.java has changed since it was committed")
                .contains("git HEAD")
                .containsPattern("(?m)^-\\s*// TODO 1:")
                .containsPattern("(?m)^\\+\\s*listeners.computeIfAbsent");
        Result todos = run(copy, "", false, "01", "--step", "0");
        assertThat(todos.out()).contains("lessons/01-events/Events.java:53  // TODO 1:");
    }

    @Test
    @DisplayName("an edited exercise without git: says which task lost its TODO and shows what is left")
    void editedExerciseWithoutGit(@TempDir Path dir) throws Exception {
        Workbook copy = copyLesson01(dir);
        liveCodeTask1(dir);

        Result run = run(copy, "", false, "01", "--step", "1");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Note: task 1 has no \"TODO 1\" line in the exercise")
                .contains("No lines change for task 1");
        Result two = run(copy, "", false, "01", "--step", "2");
        assertThat(two.out()).containsPattern("(?m)^\\+\\s*List<Listener> current = List.copyOf");
    }

    private static Workbook copyLesson01(Path dir) throws IOException {
        LessonFolder lesson = WORKBOOK.lesson("01");
        Files.copy(WORKBOOK.root().resolve("jbang-catalog.json"), dir.resolve("jbang-catalog.json"));
        for (Path folder : List.of(lesson.exercise(), lesson.solution())) {
            Path target = dir.resolve(WORKBOOK.root().relativize(folder));
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
        return new Workbook(dir);
    }

    /** What an instructor does on the projector: task 1 typed in, its TODO lines gone. */
    private static void liveCodeTask1(Path dir) throws IOException {
        Path events = dir.resolve("lessons/01-events/Events.java");
        String text = Files.readString(events);
        String edited = text.replaceFirst("(?m)^ *// TODO 1:.*\\n *throw new UnsupportedOperationException\\(\"TODO 1: implement on\\(\\)\"\\);",
                "            listeners.computeIfAbsent(event, name -> new ArrayList<>()).add(listener);\n            return this;");
        assertThat(edited).as("the TODO 1 region of lesson 01 (update this test)").isNotEqualTo(text);
        Files.writeString(events, edited);
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", args[0]).isTrue();
        assertThat(git.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
    }

    private static String print(LessonSteps steps, int step) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new StepPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false).print(steps, step);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The task numbers of a lesson's TODO markers (no compiling: the generic check needs only the numbers). */
    private static int[] markedTasks(LessonFolder lesson) throws IOException {
        java.util.TreeSet<Integer> numbers = new java.util.TreeSet<>();
        try (Stream<Path> walk = Files.walk(lesson.exercise())) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> relaylab.grader.Pairing.isText(f.toString()))
                    .filter(f -> !f.toString().endsWith("Test.java") && !f.toString().endsWith(".md")).toList()) {
                Matcher m = Todo.MARKER.matcher(Files.readString(file));
                while (m.find()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(numbers).as("TODO markers of %s", lesson.label()).isNotEmpty();
        return numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<Integer, Task> tasks(int... numbers) {
        Map<Integer, Task> tasks = new TreeMap<>();
        for (int number : numbers) {
            tasks.put(number, new Task() {
                @Override
                public int number() {
                    return number;
                }

                @Override
                public String title() {
                    return "Task " + number;
                }

                @Override
                public String hint() {
                    return "hint " + number;
                }

                @Override
                public Class<? extends Annotation> annotationType() {
                    return Task.class;
                }
            });
        }
        return tasks;
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(Workbook workbook, String stdin, boolean color, String... args) {
        return run(workbook, stdin, color, () -> null, args);
    }

    private static Result run(Workbook workbook, String stdin, boolean color,
            java.util.function.Supplier<PresentCommand.KeyMode> keys, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PresentCommand.run(() -> workbook, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), color,
                keys, args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
