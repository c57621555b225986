package relaylab.present;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import relaylab.grader.CommandErrors;
import relaylab.grader.Console;
import relaylab.grader.GradeException;
import relaylab.grader.Grader;
import relaylab.grader.LessonFolder;
import relaylab.grader.Workbook;

/**
 * The {@code present} command an instructor runs to live code a lesson: {@code present 05} shows the
 * exercise's TODOs, then, step by step, the solution's diff for task 1, 2, ... Started by the
 * {@code present} alias of jbang-catalog.json.
 */
@Command(name = "present", mixinStandardHelpOptions = true, version = "Relay Lab presenter 1.0",
        description = {"Presenter mode for live coding a lesson of the Relay Lab workbook.",
            "Step 0 lists the exercise's TODOs task by task: title, hint, and the",
            "file:line of each TODO k. Step k shows the solution's diff for task k,",
            "from the exercise with the tasks before k done.",
            "Keys: n (or Enter or space) next, p previous, a number jumps to that",
            "step, q quits. On a terminal a key acts at once; elsewhere type it and Enter."},
        footer = {"", "Examples:", "  present 05             walk through lesson 05 step by step",
            "  present 05 --step 0    print the TODOs of lesson 05 and exit",
            "  present 05 --step 2    print the solution's diff for task 2 and exit",
            "", "Colours on a terminal; plain text with NO_COLOR set, TERM=dumb, or when", "the output is not a terminal."})
public final class PresentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LESSON", description = "lesson number, e.g. 05 or 5")
    String lesson;

    @Option(names = "--step", paramLabel = "K", description = "print step K alone and exit (0: the TODOs, k: the diff for task k)")
    Integer step;

    private final Supplier<Workbook> workbook;
    private final BufferedReader in;
    private final PrintStream out;
    private final boolean color;
    private final Supplier<KeyMode> singleKeys;

    /** Single-key input while the walk runs (see {@link RawTerminal}); closing it restores the terminal. */
    interface KeyMode extends AutoCloseable {
        @Override
        void close();
    }

    PresentCommand(Supplier<Workbook> workbook, InputStream in, PrintStream out, boolean color, Supplier<KeyMode> singleKeys) {
        this.workbook = workbook;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.color = color;
        this.singleKeys = singleKeys;
    }

    /** Entry point of the present script; exits 0 when done, 2 on bad input. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        boolean console = System.console() != null;
        boolean color = Console.colorWanted(console, System.getenv("NO_COLOR"), System.getenv("TERM"));
        System.exit(run(Workbook::locate, System.in, out, System.err, color, () -> RawTerminal.open(console,
                why -> System.err.println("present: " + why)).orElse(null), args));
    }

    /** Runs the command on the given streams and returns its exit status (0 done, 2 bad input, 3 a fault of the presenter). */
    static int run(Supplier<Workbook> workbook, InputStream in, PrintStream out, PrintStream err, boolean color,
            Supplier<KeyMode> singleKeys, String... args) {
        CommandLine cli = new CommandLine(new PresentCommand(workbook, in, out, color, singleKeys));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(CommandErrors.handler("present", "the presenter"));
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        Workbook book = workbook.get();
        LessonFolder folder = book.lesson(lesson);
        if (step != null && step < 0) {
            throw new GradeException("--step must be 0 (the TODOs) or a task's step, not " + step);
        }
        LessonSteps steps = LessonSteps.of(book, folder, new Grader(book, Grader.DEFAULT_TIMEOUT_SECONDS).tasks(folder),
                new Committed(book.root()));
        if (step != null && step > steps.lastStep()) {
            throw new GradeException(String.format("lesson %02d has steps 0–%d (0: the TODOs, k: the diff for task k); there is no step %d",
                    folder.number(), steps.lastStep(), step));
        }
        StepPrinter printer = new StepPrinter(out, color);
        if (step != null) {
            printer.print(steps, step);
            return 0;
        }
        walk(steps, printer);
        return 0;
    }

    /** The interactive walk: one step on screen, then the next key (a line of input, or one key), until q or end of input. */
    private void walk(LessonSteps steps, StepPrinter printer) throws IOException {
        try (KeyMode keys = singleKeys.get()) {
            walk(steps, printer, keys != null);
        }
    }

    private void walk(LessonSteps steps, StepPrinter printer, boolean oneKey) throws IOException {
        int current = 0;
        printer.print(steps, current);
        while (true) {
            out.print(String.format("%n[step %d of %d] n next, p previous, 0–%d jump, q quit%s: ", current, steps.lastStep(),
                    steps.lastStep(), oneKey ? "" : " (then Enter)"));
            out.flush();
            String key = oneKey ? readKey(steps.lastStep()) : in.readLine();
            if (key == null) {
                out.println();
                return;
            }
            key = key.strip().toLowerCase(java.util.Locale.ROOT);
            int next;
            if (key.equals("q")) {
                return;
            } else if (key.isEmpty() || key.equals("n")) {
                next = current + 1;
            } else if (key.equals("p")) {
                next = current - 1;
            } else if (key.matches("\\d{1,3}")) {
                next = Integer.parseInt(key);
            } else {
                out.println("'" + key + "' is not a key here: n next, p previous, a number 0–" + steps.lastStep() + " jumps, q quits");
                continue;
            }
            if (next < 0 || next > steps.lastStep()) {
                out.println(next < 0 ? "This is the first step (the TODOs)." : next == steps.lastStep() + 1
                        ? "That was the last step: the lesson is done. p goes back, q quits."
                        : "There is no step " + next + "; the steps are 0–" + steps.lastStep() + ".");
                continue;
            }
            current = next;
            if (color) {
                out.print("\u001b[H\u001b[2J"); // a clean screen for the projector
            }
            out.println();
            printer.print(steps, current);
        }
    }

    /**
     * One key on a terminal in single-key mode: a letter at once; Enter, space, the right and down arrows and Page Down
     * (what a presenter's clicker sends) mean n; the left and up arrows and Page Up mean p; a digit jumps at once when
     * the lesson has fewer than 10 steps, else digits are read until Enter (or another key). Null at end of input.
     */
    private String readKey(int lastStep) throws IOException {
        StringBuilder digits = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return digits.length() > 0 ? digits.toString() : null;
            }
            if (Character.isDigit(c)) {
                digits.append((char) c);
                out.print((char) c);
                out.flush();
                if (lastStep < 10 || digits.length() == 3) {
                    return digits.toString();
                }
            } else if (digits.length() > 0) {
                return digits.toString();
            } else if (c == '\n' || c == '\r' || c == ' ') {
                return "n";
            } else if (c == 27) {
                return escapeSequence();
            } else {
                return String.valueOf((char) c);
            }
        }
    }

    /**
     * After ESC: an arrow (ESC [ A..D, or ESC O A..D) or Page Up/Down (ESC [ 5 ~, ESC [ 6 ~) as n or p. Any other
     * sequence is read to its end, so that none of its characters (F5 is ESC [ 1 5 ~) counts as a key of its own.
     */
    private String escapeSequence() throws IOException {
        int kind = in.read();
        if (kind == 'O') {
            return arrow(in.read());
        }
        if (kind != '[') {
            return "escape";
        }
        StringBuilder params = new StringBuilder();
        int c = in.read();
        while (c >= 0x20 && c < 0x40) {   // parameter and intermediate characters, up to the final one
            params.append((char) c);
            c = in.read();
        }
        if (c == '~') {
            return params.toString().equals("6") ? "n" : params.toString().equals("5") ? "p" : "escape";
        }
        return params.length() == 0 ? arrow(c) : "escape";
    }

    private static String arrow(int c) {
        return c == 'C' || c == 'B' ? "n" : c == 'D' || c == 'A' ? "p" : "escape";
    }
}
