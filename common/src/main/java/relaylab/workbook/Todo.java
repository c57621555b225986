package relaylab.workbook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workbook's TODO convention, defined once. An exercise marks each place the learner writes with a line
 * {@code // TODO k: what to do (task k)} and stubs the code with
 * {@code throw new UnsupportedOperationException("TODO k: what to do")}; the solution holds no such marker.
 * Read by {@link Exercise} ("start with TODO k"), the grader (its report and the exercise/solution pairing check)
 * and {@code relaylab.realtime.TodoRecorder} (a server handler that ran into a stub).
 */
public final class Todo {
    /** A numbered marker anywhere in a source line, as in {@code // TODO 2: join the room (task 2)}; group 1 is k. */
    public static final Pattern MARKER = Pattern.compile("\\bTODO (\\d+)\\b");
    /** A stub's message quoted inside another text (an assertion message, a stack trace); group 1 is the message. */
    public static final Pattern QUOTED_STUB = Pattern.compile("UnsupportedOperationException: (TODO \\d+[^\\n]*)");
    private static final Pattern MESSAGE = Pattern.compile("^TODO (\\d+)\\b");

    private Todo() {
    }

    /** The marker of one task's TODO lines, e.g. {@code TODO 3} but not {@code TODO 31}. */
    public static Pattern marker(int task) {
        return Pattern.compile("\\bTODO " + task + "\\b");
    }

    /** The message of a stub for task {@code task}: {@code "TODO k: what"}. */
    public static String message(int task, String what) {
        return "TODO " + task + ": " + what;
    }

    /** Returns k when {@code message} starts with "TODO k" (a stub's message), otherwise null. */
    public static Integer number(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = MESSAGE.matcher(message);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** True for an exercise's stub: an UnsupportedOperationException whose message starts with "TODO k". */
    public static boolean isStub(Throwable error) {
        return error instanceof UnsupportedOperationException && number(error.getMessage()) != null;
    }
}
