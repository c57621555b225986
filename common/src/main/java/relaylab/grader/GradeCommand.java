package relaylab.grader;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Task;

/**
 * The {@code grade} command learners run: {@code grade 01} grades a lesson, {@code grade} shows
 * progress over all lessons. Started by the {@code grade} alias of jbang-catalog.json.
 */
@Command(name = "grade", mixinStandardHelpOptions = true, version = "Relay Lab grader 1.0",
        description = {"Grades a lesson of the Relay Lab workbook: compiles your files in lessons/NN-*,",
            "runs the lesson's tests and shows each task with ✔ or ✘, failures and hints.",
            "Without a lesson number, shows your progress over all lessons."},
        footer = {"", "Examples:", "  grade 01             grade lesson 01", "  grade 01 --watch     grade again on every save",
            "  grade 01 --hint 2    show the hint of task 2", "  grade 01 --reset     put lesson 01 back as it was (keeps a backup)",
            "  grade               progress over all lessons"})
public final class GradeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "LESSON", description = "lesson number, e.g. 01 or 1")
    String lesson;

    @Option(names = "--solution", description = "grade solutions/NN-* instead of your exercise (for instructors)")
    boolean solution;

    @Option(names = {"-w", "--watch"}, description = "grade again whenever a file of the lesson is saved; Ctrl-C stops")
    boolean watch;

    @Option(names = "--hint", paramLabel = "TASK", description = "show the hint of one task without grading")
    Integer hint;

    @Option(names = "--reset", description = "restore the lesson's exercise files as they were in git, after backing yours up")
    boolean reset;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop a test after this many seconds (default ${DEFAULT-VALUE})")
    int timeout = Grader.DEFAULT_TIMEOUT_SECONDS;

    @Option(names = {"-v", "--verbose"}, description = "show passing tests and everything the tests printed")
    boolean verbose;

    private final Console console = Console.system();

    /** Entry point of the grade script; exits 0 only when every graded task passes. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit status (0 all passed, 1 not all passed, 2 bad input). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new GradeCommand());
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (error instanceof GradeException) {
                commandLine.getErr().println("grade: " + error.getMessage());
                return 2;
            }
            // a fault of the grader itself, not of the learner's code: one line, and the trace only on request
            commandLine.getErr().println("grade: the grader itself failed: " + error);
            if (Boolean.getBoolean("relaylab.debug")) {
                error.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("  (please report it; run with JAVA_TOOL_OPTIONS=-Drelaylab.debug=true for details)");
            }
            return 3;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Workbook workbook = Workbook.locate();
        if (lesson == null) {
            if (solution || watch || hint != null || reset) {
                throw new GradeException("--solution, --watch, --hint and --reset need a lesson number, e.g. grade 01 --watch");
            }
            return new Progress(workbook, new Grader(workbook, timeout), console).show() ? 0 : 1;
        }
        LessonFolder folder = workbook.lesson(lesson);
        Variant variant = solution ? Variant.SOLUTION : Variant.EXERCISE;
        if (hint != null) {
            return showHint(workbook, folder);
        }
        if (reset) {
            new Reset(workbook, console).reset(folder);
            return 0;
        }
        Grader grader = new Grader(workbook, timeout);
        if (watch) {
            watch(workbook, grader, folder, variant);
            return 0;
        }
        GradeReport report = grade(workbook, grader, folder, variant);
        return report.allPassed() ? 0 : 1;
    }

    private GradeReport grade(Workbook workbook, Grader grader, LessonFolder folder, Variant variant) {
        GradeReport report = grader.grade(folder, variant);
        Path path = workbook.root().relativize(folder.folder(variant));
        new ReportPrinter(console, verbose).print(report, path.toString());
        if (variant == Variant.EXERCISE) {
            Progress.remember(workbook, report);
        }
        return report;
    }

    private int showHint(Workbook workbook, LessonFolder folder) {
        Map<Integer, Task> tasks = new Grader(workbook, timeout).tasks(folder);
        Task task = tasks.get(hint);
        if (task == null) {
            throw new GradeException(String.format("lesson %02d has no task %d; its tasks are %s",
                    folder.number(), hint, tasks.keySet()));
        }
        console.out().printf("Lesson %02d, task %d: %s%n  hint: %s%n", folder.number(), hint, task.title(), task.hint());
        return 0;
    }

    private void watch(Workbook workbook, Grader grader, LessonFolder folder, Variant variant) throws IOException {
        Path dir = folder.folder(variant);
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            while (true) {
                grade(workbook, grader, folder, variant);
                console.out().println(console.dim("Watching " + workbook.root().relativize(dir)
                        + " — save a file to grade again, Ctrl-C to stop."));
                WatchKey key = watcher.take();
                // editors save in several steps: wait until the folder is quiet for a moment
                do {
                    key.pollEvents();
                    key.reset();
                    key = watcher.poll(300, TimeUnit.MILLISECONDS);
                } while (key != null);
                console.out().println(console.dim("— change seen at "
                        + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + ", grading again —"));
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }
}
