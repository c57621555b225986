package relaylab.grader;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Where the grader writes: UTF-8 stdout, with colours only on a terminal and without NO_COLOR. */
final class Console {
    private final PrintStream out;
    private final boolean color;

    Console(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    /** The process's standard output, coloured when it is a terminal. */
    static Console system() {
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
        return new Console(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8), color);
    }

    PrintStream out() {
        return out;
    }

    String green(String text) {
        return paint("32", text);
    }

    String red(String text) {
        return paint("31", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String dim(String text) {
        return paint("2", text);
    }

    String bold(String text) {
        return paint("1", text);
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
