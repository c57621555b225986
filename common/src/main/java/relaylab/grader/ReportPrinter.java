package relaylab.grader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.GradeReport.TestOutcome;
import relaylab.workbook.Commands;

/** Prints a {@link GradeReport} for a learner: each task with ✔/✘, failing tests, messages and hints. */
final class ReportPrinter {
    private static final int MAX_MESSAGE_LINES = 14;
    private static final int MAX_OUTPUT_LINES = 8;
    /** The first line of a java.util.logging record ("Dec 01, 2026 2:23:31 AM relaylab.realtime.X method"): noise here. */
    private static final Pattern LOG_HEADER = Pattern.compile("^[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M \\S+( \\S+)?$");
    /** The server's routine log lines. */
    private static final Pattern ROUTINE = Pattern.compile("^INFO: .*");
    /** The server's warning about a TODO a handler ran into: news unless the test's own message already names a TODO. */
    private static final Pattern TODO_WARNING = Pattern.compile("^(WARNING|SEVERE): .* is not written yet: TODO \\d+.*");
    static final String BROWSER_HELP = "Chrome or Chromium was not found here. Install it (Debian/Ubuntu: sudo apt-get install"
            + " chromium chromium-driver; macOS: brew install --cask chromium chromedriver; Windows: Google Chrome),"
            + " or let Selenium download one: RELAYLAB_BROWSER_DOWNLOAD=yes";

    private final Console console;
    private final boolean verbose;
    private final Commands commands;

    ReportPrinter(Console console, boolean verbose) {
        this(console, verbose, Commands.PLAIN);
    }

    ReportPrinter(Console console, boolean verbose, Commands commands) {
        this.console = console;
        this.verbose = verbose;
        this.commands = commands;
    }

    void print(GradeReport report, String lessonPath) {
        print(report, lessonPath, false);
    }

    /** Prints the report; {@code oneTask} when only one task was graded ({@code --task N}). */
    void print(GradeReport report, String lessonPath, boolean oneTask) {
        var out = console.out();
        String variant = report.variant() == LessonFolder.Variant.SOLUTION ? "solution" : "exercise";
        String title = report.title() == null ? "" : " · " + report.title();
        out.println();
        out.println(console.bold(String.format("Lesson %02d%s", report.lesson().number(), title))
                + console.dim(" — " + variant + " in " + lessonPath));
        if (report.compileError() != null) {
            out.println();
            out.println(console.red("✘ The lesson does not compile. Fix this first:"));
            indent(report.compileError(), "    ", Integer.MAX_VALUE);
            out.println();
            return;
        }
        out.println();
        for (TaskResult task : report.tasks()) {
            printTask(task);
        }
        if (!report.problems().isEmpty()) {
            out.println();
            out.println(console.yellow("Authoring problems (for the lesson's author, not the learner):"));
            report.problems().forEach(p -> out.println("  - " + p));
        }
        boolean lastTaskPrintedBlank = !report.tasks().isEmpty()
                && !quiet(report.tasks().get(report.tasks().size() - 1)) && report.problems().isEmpty();
        if (!lastTaskPrintedBlank) {
            out.println();
        }
        if (oneTask && report.tasks().size() == 1) {
            TaskResult only = report.tasks().get(0);
            out.println(only.status() == Status.PASSED ? console.green("✔ Task " + only.number() + " passes.")
                    : only.status() == Status.NOT_CHECKED ? "Task " + only.number() + " was not checked here. " + BROWSER_HELP
                    : "Task " + only.number() + " does not pass yet."
                    + (report.todoLocation(only.number()) == null ? "" : " See \"// TODO " + only.number() + "\" in "
                    + commands.path(report.todoLocation(only.number())) + "."));
        } else {
            summary(report);
        }
        out.println();
    }

    private void summary(GradeReport report) {
        var out = console.out();
        long passed = report.passed();
        int total = report.tasks().size();
        String lesson = String.format("%02d", report.lesson().number());
        if (report.allPassed()) {
            out.println(console.green(String.format("✔ %d of %d tasks pass. Lesson %s is done.", passed, total, lesson)));
            if (report.variant() == LessonFolder.Variant.EXERCISE) {
                out.println("  See how the workbook's solution does it: " + commands.grade(lesson + " --diff"));
            }
            return;
        }
        long notChecked = report.notChecked();
        if (report.allCheckedPass()) {
            out.println(console.green(String.format("✔ All checked tasks pass (%d of %d);", passed, total))
                    + String.format(" %d not checked here: %s Chrome or Chromium.", notChecked,
                    notChecked == 1 ? "it needs" : "they need"));
            out.println("  " + BROWSER_HELP + " " + commands.grade(lesson));
            return;
        }
        String summary = notChecked == 0 ? String.format("%d of %d tasks pass.", passed, total)
                : String.format("%d of %d tasks pass, %d not checked here (no browser).", passed, total, notChecked);
        Integer next = report.next();
        if (next == null) {
            out.println(summary);
            return;
        }
        String where = report.todoLocation(next);
        out.println(summary + "  " + console.bold("Next: task " + next) + " — "
                + (report.todosLeft().contains(next) ? "its TODO is still to do" : "its checks fail")
                + (where == null ? "" : ": see \"// TODO " + next + "\" in " + commands.path(where)) + ".");
    }

    /** A task whose line is all there is to say about it. */
    private boolean quiet(TaskResult task) {
        return !verbose && (task.status() == Status.PASSED || task.status() == Status.NOT_CHECKED);
    }

    private void printTask(TaskResult task) {
        var out = console.out();
        Status status = task.status();
        String mark = switch (status) {
            case PASSED -> console.green("✔");
            case SKIPPED, NOT_CHECKED -> console.yellow("–");
            default -> console.red("✘");
        };
        String note = switch (status) {
            case TIMED_OUT -> console.red(" (did not finish)");
            case SKIPPED -> console.yellow(" (skipped)");
            case NOT_CHECKED -> console.yellow(" — not checked here: needs Chrome or Chromium (see below)");
            default -> "";
        };
        out.println("  " + mark + " " + task.number() + ". " + task.title() + note);
        if (quiet(task)) {
            return;
        }
        List<TestOutcome> shown = task.tests().stream()
                .filter(t -> verbose || t.status() != Status.PASSED)
                .toList();
        for (TestOutcome test : shown) {
            String testMark = test.status() == Status.PASSED ? console.green("✔")
                    : test.status() == Status.SKIPPED || test.status() == Status.NOT_CHECKED ? console.yellow("–")
                    : console.red("✘");
            out.println("       " + testMark + " " + test.displayName());
            if (test.message() != null) {
                indent(test.message(), "         ", verbose ? Integer.MAX_VALUE : MAX_MESSAGE_LINES);
            }
            String printed = verbose ? test.output() : useful(test.output(), test.message());
            if (!printed.isBlank() && (verbose || test.status() != Status.PASSED)) {
                out.println(console.dim("         printed:"));
                indent(tail(printed, verbose ? Integer.MAX_VALUE : MAX_OUTPUT_LINES), console.dim("         | "),
                        Integer.MAX_VALUE);
            }
        }
        if (task.tests().isEmpty()) {
            out.println("       " + console.red("✘") + " no test checks this task yet");
        }
        if (status != Status.PASSED && status != Status.NOT_CHECKED) {
            out.println("       " + console.yellow("hint:") + " " + task.hint());
            out.println();
        }
    }

    /**
     * What a test printed, without what does not help the learner: log record headers, routine INFO
     * lines, the server's warnings about a TODO when the failure ({@code message}) already names one,
     * and repeats of the same line.
     */
    static String useful(String output, String message) {
        boolean todoNamed = message != null && message.contains("TODO ");
        List<String> kept = new ArrayList<>();
        String previous = null;
        int repeats = 0;
        for (String line : output.strip().split("\\R")) {
            if (LOG_HEADER.matcher(line).matches() || ROUTINE.matcher(line).matches() || line.isBlank()
                    || todoNamed && TODO_WARNING.matcher(line).matches()) {
                continue;
            }
            if (line.equals(previous)) {
                repeats++;
                continue;
            }
            if (repeats > 0) {
                kept.add("  (the line above " + (repeats + 1) + " times)");
            }
            repeats = 0;
            kept.add(line);
            previous = line;
        }
        if (repeats > 0) {
            kept.add("  (the line above " + (repeats + 1) + " times)");
        }
        return String.join("\n", kept);
    }

    private void indent(String text, String prefix, int maxLines) {
        String[] lines = text.strip().split("\\R");
        for (int i = 0; i < lines.length && i < maxLines; i++) {
            console.out().println(prefix + lines[i]);
        }
        if (lines.length > maxLines) {
            console.out().println(prefix + "… (" + (lines.length - maxLines) + " more lines; use --verbose)");
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.strip().split("\\R");
        if (all.length <= lines) {
            return text;
        }
        return "… (" + (all.length - lines) + " earlier lines; use --verbose)\n"
                + String.join("\n", Arrays.copyOfRange(all, all.length - lines, all.length));
    }
}
