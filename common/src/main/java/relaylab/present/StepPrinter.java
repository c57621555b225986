package relaylab.present;

import java.io.PrintStream;
import java.util.List;
import relaylab.grader.Console;
import relaylab.present.LessonSteps.FileDiff;
import relaylab.present.LessonSteps.TaskInfo;
import relaylab.present.LessonSteps.TodoLine;

/** Prints one presenter step: the TODOs (step 0) or the solution's diff for one task, coloured or plain. */
final class StepPrinter {
    private final PrintStream out;
    private final Console console;

    /** @param color ANSI colours ({@link Console#colorWanted}); plain text otherwise */
    StepPrinter(PrintStream out, boolean color) {
        this.out = out;
        this.console = new Console(out, color);
    }

    void print(LessonSteps steps, int step) {
        if (step == 0) {
            printTodos(steps);
        } else {
            printDiff(steps, step);
        }
    }

    private void printTodos(LessonSteps steps) {
        out.println(console.bold(steps.title()) + console.dim(String.format(" — step 0 of %d: the exercise's TODOs", steps.lastStep())));
        printNotes(steps);
        for (TaskInfo task : steps.tasks()) {
            out.println();
            out.println(console.bold("Task " + task.number() + " · " + task.title()));
            out.println("  hint: " + task.hint());
            List<TodoLine> lines = steps.todos().stream().filter(t -> t.task() == task.number()).toList();
            if (lines.isEmpty()) {
                out.println(console.yellow("  no TODO " + task.number() + " line found in the exercise"));
            }
            for (TodoLine todo : lines) {
                out.println("  " + console.cyan(todo.file() + ":" + todo.line()) + "  " + todo.text());
            }
        }
    }

    private void printDiff(LessonSteps steps, int step) {
        TaskInfo task = steps.tasks().get(step - 1);
        out.println(console.bold(steps.title()) + console.dim(String.format(" — step %d of %d: the solution for task %d",
                step, steps.lastStep(), task.number())));
        out.println(console.bold("Task " + task.number() + " · " + task.title()));
        out.println("  hint: " + task.hint());
        printNotes(steps);
        List<FileDiff> diffs = steps.diff(step);
        if (diffs.isEmpty()) {
            out.println();
            out.println(console.yellow("No lines change for task " + task.number()
                    + ": its code shares a TODO region with an earlier task and was shown in that task's step."));
        }
        for (FileDiff diff : diffs) {
            out.println();
            out.println(console.bold(diff.file()) + console.dim("  (- before this task, + after; line numbers with the earlier tasks done)"));
            for (String line : diff.lines()) {
                out.println(line.startsWith("@@") ? console.cyan(line)
                        : line.startsWith("+") ? console.green(line)
                        : line.startsWith("-") ? console.red(line) : line);
            }
        }
    }

    private void printNotes(LessonSteps steps) {
        for (String note : steps.notes()) {
            out.println(console.yellow("Note: " + note));
        }
    }
}
