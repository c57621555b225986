package relaylab.grader;

import java.util.Arrays;
import java.util.List;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TaskResult;
import relaylab.grader.GradeReport.TestOutcome;

/** Prints a {@link GradeReport} for a learner: each task with ✔/✘, failing tests, messages and hints. */
final class ReportPrinter {
    private static final int MAX_MESSAGE_LINES = 14;
    private static final int MAX_OUTPUT_LINES = 8;

    private final Console console;
    private final boolean verbose;

    ReportPrinter(Console console, boolean verbose) {
        this.console = console;
        this.verbose = verbose;
    }

    void print(GradeReport report, String lessonPath) {
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
                && report.tasks().get(report.tasks().size() - 1).status() != Status.PASSED && report.problems().isEmpty();
        if (!lastTaskPrintedBlank) {
            out.println();
        }
        long passed = report.passed();
        int total = report.tasks().size();
        String summary = String.format("%d of %d tasks pass.", passed, total);
        if (report.allPassed()) {
            out.println(console.green("✔ " + summary + " Lesson " + String.format("%02d", report.lesson().number())
                    + " is done."));
        } else {
            TaskResult next = report.tasks().stream().filter(t -> t.status() != Status.PASSED).findFirst().orElse(null);
            String hint = next == null ? "" : String.format("  Next: task %d — look for \"// TODO %d\" in %s.",
                    next.number(), next.number(), lessonPath);
            out.println(summary + hint);
        }
        out.println();
    }

    private void printTask(TaskResult task) {
        var out = console.out();
        Status status = task.status();
        String mark = switch (status) {
            case PASSED -> console.green("✔");
            case SKIPPED -> console.yellow("–");
            default -> console.red("✘");
        };
        String note = switch (status) {
            case TIMED_OUT -> console.red(" (timed out)");
            case SKIPPED -> console.yellow(" (skipped)");
            default -> "";
        };
        out.println("  " + mark + " " + task.number() + ". " + task.title() + note);
        if (status == Status.PASSED && !verbose) {
            return;
        }
        List<TestOutcome> shown = task.tests().stream()
                .filter(t -> verbose || t.status() != Status.PASSED)
                .toList();
        for (TestOutcome test : shown) {
            String testMark = test.status() == Status.PASSED ? console.green("✔") : test.status() == Status.SKIPPED
                    ? console.yellow("–") : console.red("✘");
            out.println("       " + testMark + " " + test.displayName());
            if (test.message() != null) {
                indent(test.message(), "         ", MAX_MESSAGE_LINES);
            }
            if (!test.output().isBlank() && (verbose || test.status() != Status.PASSED)) {
                out.println(console.dim("         printed:"));
                indent(tail(test.output(), verbose ? Integer.MAX_VALUE : MAX_OUTPUT_LINES), console.dim("         | "),
                        Integer.MAX_VALUE);
            }
        }
        if (task.tests().isEmpty()) {
            out.println("       " + console.red("✘") + " no test checks this task yet");
        }
        if (status != Status.PASSED) {
            out.println("       " + console.yellow("hint:") + " " + task.hint());
            out.println();
        }
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
        return "… (" + (all.length - lines) + " earlier lines)\n"
                + String.join("\n", Arrays.copyOfRange(all, all.length - lines, all.length));
    }
}
