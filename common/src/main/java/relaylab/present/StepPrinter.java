package relaylab.present;

import java.io.PrintStream;
import java.util.List;
import relaylab.present.LessonSteps.FileDiff;
import relaylab.present.LessonSteps.TaskInfo;
import relaylab.present.LessonSteps.TodoLine;

/** Prints one presenter step: the TODOs (step 0) or the solution's diff for one task, coloured or plain. */
final class StepPrinter {
    private final PrintStream out;
    private final boolean color;

    /** @param color ANSI colours (a terminal without NO_COLOR); plain text otherwise */
    StepPrinter(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    /** True when output should be coloured: a terminal, no {@code NO_COLOR} variable, and not {@code TERM=dumb}. */
    static boolean colorWanted(boolean terminal, String noColor, String term) {
        return terminal && noColor == null && !"dumb".equals(term);
    }

    void print(LessonSteps steps, int step) {
        if (step == 0) {
            printTodos(steps);
        } else {
            printDiff(steps, step);
        }
    }

    private void printTodos(LessonSteps steps) {
        out.println(paint("1", steps.title()) + paint("2", String.format(" — step 0 of %d: the exercise's TODOs", steps.lastStep())));
        printNotes(steps);
        for (TaskInfo task : steps.tasks()) {
            out.println();
            out.println(paint("1", "Task " + task.number() + " · " + task.title()));
            out.println("  hint: " + task.hint());
            List<TodoLine> lines = steps.todos().stream().filter(t -> t.task() == task.number()).toList();
            if (lines.isEmpty()) {
                out.println(paint("33", "  no TODO " + task.number() + " line found in the exercise"));
            }
            for (TodoLine todo : lines) {
                out.println("  " + paint("36", todo.file() + ":" + todo.line()) + "  " + todo.text());
            }
        }
    }

    private void printDiff(LessonSteps steps, int step) {
        TaskInfo task = steps.tasks().get(step - 1);
        out.println(paint("1", steps.title()) + paint("2", String.format(" — step %d of %d: the solution for task %d",
                step, steps.lastStep(), task.number())));
        out.println(paint("1", "Task " + task.number() + " · " + task.title()));
        out.println("  hint: " + task.hint());
        printNotes(steps);
        List<FileDiff> diffs = steps.diff(step);
        if (diffs.isEmpty()) {
            out.println();
            out.println(paint("33", "No lines change for task " + task.number()
                    + ": its code shares a TODO region with an earlier task and was shown in that task's step."));
        }
        for (FileDiff diff : diffs) {
            out.println();
            out.println(paint("1", diff.file()) + paint("2", "  (- before this task, + after; line numbers with the earlier tasks done)"));
            for (String line : diff.lines()) {
                out.println(line.startsWith("@@") ? paint("36", line)
                        : line.startsWith("+") ? paint("32", line)
                        : line.startsWith("-") ? paint("31", line) : line);
            }
        }
    }

    private void printNotes(LessonSteps steps) {
        for (String note : steps.notes()) {
            out.println(paint("33", "Note: " + note));
        }
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
