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
import java.util.ArrayList;
import java.util.List;
import relaylab.grader.LessonFolder.Variant;
import relaylab.workbook.Commands;
import relaylab.workbook.Task;

/**
 * The {@code grade} command learners run: {@code grade 01} grades a lesson, {@code grade} shows
 * progress over all lessons. Started by the {@code grade} alias of jbang-catalog.json.
 */
@Command(name = "grade", mixinStandardHelpOptions = true, version = "Relay Lab grader 1.0",
        description = {"Grades a lesson of the Relay Lab workbook: compiles your files in lessons/NN-*,",
            "runs the lesson's tests and shows each task with ✔ or ✘, failures and hints.",
            "Without a lesson number, shows your progress over all lessons."},
        footer = {"", "Examples:", "  grade 01             grade lesson 01", "  grade 01 --task 2    grade only task 2 (quicker)",
            "  grade 01 --watch     grade again on every save; on to lesson 02 once 01 passes",
            "  grade 01 --hint 2    show the hint of task 2", "  grade 01 --reset     put lesson 01 back as it was (keeps a backup)",
            "  grade 01 --diff      once lesson 01 passes: your files next to the workbook's solution",
            "  grade               progress over all lessons",
            "  grade 05 --join http://HOST:4000/CODE   join the instructor's classroom dashboard (once)"})
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

    @Option(names = "--task", paramLabel = "TASK", description = "grade only this task (runs only its tests)")
    Integer task;

    @Option(names = "--diff", description = "once the lesson passes: show how your files differ from the workbook's solution")
    boolean diff;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop a test after this many seconds (default ${DEFAULT-VALUE})")
    int timeout = Grader.DEFAULT_TIMEOUT_SECONDS;

    @Option(names = {"-v", "--verbose"}, description = "show passing tests and everything the tests printed")
    boolean verbose;

    @Option(names = "--join", paramLabel = "URL", description = "join the classroom dashboard at this address (the instructor shows it);"
            + " from then on each grade result (lesson, tasks passed or failed, time; no code) is sent to it")
    String join;

    @Option(names = "--leave", description = "leave the classroom dashboard: grade results are no longer sent")
    boolean leave;

    @Option(names = "--name", paramLabel = "NAME", description = "your name on the classroom dashboard (default: asked once, else your user name)")
    String name;

    private ClassroomReporter classroom;

    private final Console console;
    private Commands commands = Commands.PLAIN;

    GradeCommand(Console console) {
        this.console = console;
    }

    /** Entry point of the grade script; exits 0 only when every graded task passes. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit status (0 all passed, 1 not all passed, 2 bad input). */
    public static int run(String... args) {
        return run(Console.system(), args);
    }

    /** Like {@link #run(String...)}, printing the report to {@code console} (the grader's own tests read it). */
    static int run(Console console, String... args) {
        CommandLine cli = new CommandLine(new GradeCommand(console));
        cli.setExecutionExceptionHandler(CommandErrors.handler("grade", "the grader"));
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Workbook workbook = Workbook.locate();
        commands = Commands.here(workbook.root(), workbook.catalogName());
        if (timeout < 1) {
            throw new GradeException("--timeout must be at least 1 second, not " + timeout);
        }
        boolean sends = lesson != null && !solution && task == null && hint == null && !reset && !diff;
        classroom = ClassroomReporter.start(workbook, console, commands, join, leave, name, lesson == null, sends);
        try {
            return gradeOrShow(workbook);
        } finally {
            classroom.close();
        }
    }

    private int gradeOrShow(Workbook workbook) throws IOException {
        if (lesson == null && (join != null || leave || name != null)) {
            return 0;
        }
        if (lesson == null) {
            if (solution || watch || hint != null || reset || task != null || diff) {
                throw new GradeException("--solution, --watch, --hint, --task, --diff and --reset need a lesson number,"
                        + " e.g. " + commands.grade("01 --watch"));
            }
            return new Progress(workbook, new Grader(workbook, timeout), console, commands).show() ? 0 : 1;
        }
        List<String> alone = new ArrayList<>();
        if (hint != null) {
            alone.add("--hint");
        }
        if (reset) {
            alone.add("--reset");
        }
        if (diff) {
            alone.add("--diff");
        }
        if (watch) {
            alone.add(0, "--watch");
        }
        if (task != null && alone.size() > (watch ? 1 : 0)) {
            alone.add(0, "--task");
        }
        if (alone.size() > 1) {
            throw new GradeException(String.join(" and ", alone) + " cannot be combined; run them one at a time, e.g. "
                    + commands.grade(lesson + " " + example(alone.get(0))) + ", then "
                    + commands.grade(lesson + " " + example(alone.get(1))));
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
        if (task != null) {
            Map<Integer, Task> tasks = grader.tasks(folder);
            if (!tasks.containsKey(task)) {
                throw new GradeException(String.format("lesson %02d has no task %d; its tasks are %s", folder.number(), task,
                        tasks.keySet()));
            }
        }
        if (diff) {
            return new SolutionDiff(workbook, grader, console, commands).show(folder) ? 0 : 1;
        }
        if (watch) {
            watch(workbook, grader, folder, variant);
            return 0;
        }
        GradeReport report = grade(workbook, grader, folder, variant);
        return report.allCheckedPass() ? 0 : 1;
    }

    private GradeReport grade(Workbook workbook, Grader grader, LessonFolder folder, Variant variant) {
        long started = System.nanoTime();
        GradeReport report = grader.grade(folder, variant, task);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (task != null) {
            report = report.onlyTask(task);
        }
        Path path = workbook.root().relativize(folder.folder(variant));
        new ReportPrinter(console, verbose, commands).print(report, commands.path(path.toString()), task != null);
        if (variant == Variant.EXERCISE && task == null) {
            Progress.remember(workbook, report);
            classroom.send(report, seconds);
        }
        return report;
    }

    private String example(String option) {
        return switch (option) {
            case "--hint" -> "--hint " + hint;
            case "--task" -> "--task " + task;
            default -> option;
        };
    }

    private int showHint(Workbook workbook, LessonFolder folder) {
        Map<Integer, Task> tasks = new Grader(workbook, timeout).tasks(folder);
        Task chosen = tasks.get(hint);
        if (chosen == null) {
            throw new GradeException(String.format("lesson %02d has no task %d; its tasks are %s",
                    folder.number(), hint, tasks.keySet()));
        }
        console.out().printf("Lesson %02d, task %d: %s%n  hint: %s%n", folder.number(), hint, chosen.title(), chosen.hint());
        return 0;
    }

    private void watch(Workbook workbook, Grader grader, LessonFolder start, Variant variant) throws IOException {
        LessonFolder folder = start;
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            WatchKey registered = folder.folder(variant).register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            while (true) {
                GradeReport report = grade(workbook, grader, folder, variant);
                // "all checked": without a browser, a lesson whose page tasks cannot be checked here is as done as it gets
                LessonFolder next = report.allCheckedPass() && task == null ? nextLesson(workbook, folder) : null;
                if (next != null) {
                    console.out().println(console.green(String.format("On to lesson %02d: watching %s.", next.number(),
                            commands.path(workbook.root().relativize(next.folder(variant)).toString()))));
                    registered.cancel();
                    folder = next;
                    registered = folder.folder(variant).register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                    continue;
                }
                console.out().println(console.dim("Watching " + commands.path(workbook.root().relativize(folder.folder(variant)).toString())
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

    /** The lesson after {@code done} in the workbook's order; null after the last one. */
    private static LessonFolder nextLesson(Workbook workbook, LessonFolder done) {
        return workbook.lessons().stream().filter(l -> l.number() > done.number()).findFirst().orElse(null);
    }
}
