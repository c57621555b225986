package relaylab.present;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import relaylab.grader.LessonFolder;
import relaylab.grader.Pairing;
import relaylab.grader.Workbook;
import relaylab.workbook.Task;
import relaylab.workbook.Todo;

/**
 * One lesson cut into presenter steps. Step 0 is the exercise's TODOs, task by task; step k (1..N)
 * is the solution's diff for the k-th task: from the exercise with the earlier tasks done to the
 * exercise with this one done too. Each stage is {@link Pairing#withTodosUndone} of the exercise
 * and the solution, the same rebuild the build grades, so the steps cannot drift from the files.
 */
final class LessonSteps {
    /** Lines of context around each change in a step's diff. */
    private static final int CONTEXT = 3;

    /** A task as the lesson declares it with {@code @Task}. */
    record TaskInfo(int number, String title, String hint) {
    }

    /** One {@code TODO k} line of the exercise: path from the workbook's root, 1-based line, the line's text. */
    record TodoLine(int task, String file, int line, String text) {
    }

    /** One changed file of a step: its path from the workbook's root and its unified diff, without the ---/+++ header. */
    record FileDiff(String file, List<String> lines) {
    }

    /** One exercise file and its text after each step: stages.get(0) is the exercise, the last the solution. */
    private record Stages(String file, List<List<String>> stages) {
    }

    private final String title;
    private final List<TaskInfo> tasks;
    private final List<TodoLine> todos;
    private final List<Stages> files;
    private final List<String> notes;

    private LessonSteps(String title, List<TaskInfo> tasks, List<TodoLine> todos, List<Stages> files, List<String> notes) {
        this.title = title;
        this.tasks = tasks;
        this.todos = todos;
        this.files = files;
        this.notes = notes;
    }

    /**
     * Builds the steps of {@code lesson}. The exercise is read from git's HEAD when a file differs
     * from it (the instructor has been live coding in it), else from disk; {@link #notes()} says which.
     *
     * @param declared the lesson's tasks, as the grader reads them from {@code @Task}
     */
    static LessonSteps of(Workbook workbook, LessonFolder lesson, Map<Integer, Task> declared, Committed committed) {
        Path root = workbook.root();
        List<TaskInfo> tasks = declared.values().stream().map(t -> new TaskInfo(t.number(), t.title(), t.hint())).toList();
        List<TodoLine> todos = new ArrayList<>();
        List<Stages> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Path solution : sourceFiles(lesson.solution())) {
            String name = lesson.solution().relativize(solution).toString();
            Path exerciseFile = lesson.exercise().resolve(name);
            String shown = relative(root, exerciseFile);
            if (!Files.isRegularFile(exerciseFile)) {
                notes.add(shown + " is missing: " + relative(root, solution) + " is left out of the steps"
                        + " (restore the exercise with: git checkout -- " + shown + ")");
                continue;
            }
            String onDisk = read(exerciseFile);
            String solutionText = read(solution);
            String exercise = onDisk;
            Optional<String> original = committed.text(exerciseFile);
            if (original.isPresent() && !sameLines(original.get(), onDisk)) {
                exercise = original.get();
                notes.add(shown + (sameLines(onDisk, solutionText) ? " is already the solution on disk"
                        : " has changed since it was committed (live coding?)")
                        + ": the TODOs and diffs below start from the committed exercise (git HEAD), not from the file on disk");
            }
            List<String> exerciseLines = exercise.lines().toList();
            for (int i = 0; i < exerciseLines.size(); i++) {
                Matcher marker = Todo.MARKER.matcher(exerciseLines.get(i));
                while (marker.find()) {
                    todos.add(new TodoLine(Integer.parseInt(marker.group(1)), shown, i + 1, exerciseLines.get(i).strip()));
                }
            }
            List<List<String>> stages = new ArrayList<>();
            stages.add(Pairing.withTodosUndone(exercise, solutionText, number -> number > 0).lines().toList());
            for (TaskInfo task : tasks) {
                int done = task.number();
                stages.add(Pairing.withTodosUndone(exercise, solutionText, number -> number > done).lines().toList());
            }
            files.add(new Stages(shown, stages));
        }
        TreeSet<Integer> marked = new TreeSet<>();
        todos.forEach(todo -> marked.add(todo.task()));
        for (TaskInfo task : tasks) {
            if (!marked.contains(task.number())) {
                notes.add("task " + task.number() + " has no \"TODO " + task.number() + "\" line in the exercise"
                        + " (edited, and not in git?): its step can show only what the pairing still finds");
            }
        }
        return new LessonSteps(lessonTitle(lesson), tasks, todos, files, notes);
    }

    /** "Lesson 01 · Events", from the first heading of the lesson's README, else the folder's name. */
    String title() {
        return title;
    }

    List<TaskInfo> tasks() {
        return tasks;
    }

    /** The exercise's TODO lines, in file order. */
    List<TodoLine> todos() {
        return todos;
    }

    /** What the steps are built from, when it is not simply the files on disk. */
    List<String> notes() {
        return notes;
    }

    /** The last step: one per task, after step 0 (the TODOs). */
    int lastStep() {
        return tasks.size();
    }

    /** The changed files of step {@code step} (1..{@link #lastStep()}), each as a unified diff; empty when the step changes nothing. */
    List<FileDiff> diff(int step) {
        if (step < 1 || step > lastStep()) {
            throw new IllegalArgumentException("step " + step + " is not a diff step (1–" + lastStep() + ")");
        }
        List<FileDiff> diffs = new ArrayList<>();
        for (Stages file : files) {
            List<String> before = file.stages().get(step - 1);
            List<String> after = file.stages().get(step);
            Patch<String> patch = DiffUtils.diff(before, after);
            if (patch.getDeltas().isEmpty()) {
                continue;
            }
            List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(file.file(), file.file(), before, patch, CONTEXT);
            diffs.add(new FileDiff(file.file(), unified.subList(2, unified.size())));
        }
        return diffs;
    }

    private static String lessonTitle(LessonFolder lesson) {
        Path readme = lesson.exercise().resolve("README.md");
        if (Files.isRegularFile(readme)) {
            Optional<String> heading = read(readme).lines().filter(line -> line.startsWith("# ")).findFirst();
            if (heading.isPresent()) {
                return heading.get().substring(2).strip();
            }
        }
        return String.format("Lesson %02d (%s)", lesson.number(), lesson.name());
    }

    /** The solution's files a learner edits a copy of: text files, without tests. */
    private static List<Path> sourceFiles(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> Pairing.isText(f.getFileName().toString()))
                    .filter(f -> !f.getFileName().toString().endsWith("Test.java"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static boolean sameLines(String a, String b) {
        return a.lines().toList().equals(b.lines().toList());
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
