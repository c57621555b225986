package relaylab.grader;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the grader and the presenter write: UTF-8 stdout, with colours only on a terminal and without NO_COLOR.
 * Public for {@code relaylab.present}, which prints its steps with the same colours and the same rule.
 */
public final class Console {
    private final PrintStream out;
    private final boolean color;

    /** A console on {@code out}; {@code color} for ANSI colours (see {@link #colorWanted}), plain text otherwise. */
    public Console(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    /** The process's standard output, coloured when it is a terminal. */
    static Console system() {
        boolean color = colorWanted(System.console() != null, System.getenv("NO_COLOR"), System.getenv("TERM"));
        return new Console(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8), color);
    }

    /** True when output should be coloured: a terminal, no {@code NO_COLOR} variable, and not {@code TERM=dumb}. */
    public static boolean colorWanted(boolean terminal, String noColor, String term) {
        return terminal && noColor == null && !"dumb".equals(term);
    }

    /** The stream printed to, for lines without colour. */
    public PrintStream out() {
        return out;
    }

    /** Text painted green when colours are on (a pass, an added line); the same with red, yellow, cyan, dim and bold. */
    public String green(String text) {
        return paint("32", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    public String yellow(String text) {
        return paint("33", text);
    }

    public String dim(String text) {
        return paint("2", text);
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String cyan(String text) {
        return paint("36", text);
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
