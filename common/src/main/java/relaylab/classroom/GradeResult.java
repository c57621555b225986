package relaylab.classroom;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One grade result as a learner's grader sends it to the classroom dashboard, and all that it sends:
 * the lesson number and title, each task's number, title and status, the first failing task, whether the
 * lesson compiled, how long grading took and when the result was sent. No code, no file names, no output.
 * Built by the grader ({@code grade NN} with a joined classroom); checked by the dashboard with
 * {@link #fromEvent(Object)} before it counts.
 *
 * @param lesson       the lesson number, 1 to 99
 * @param title        the lesson's title, e.g. "First chat, twice" (may be empty)
 * @param tasks        each task of the lesson, in order; empty when the lesson did not compile
 * @param firstFailing the task to work on next (its TODO is left or its checks fail), or null when none
 * @param compiled     false when the learner's files did not compile
 * @param seconds      how long grading took
 * @param sentAt       when it was sent, in milliseconds since the epoch on the learner's clock (0 before sending)
 */
public record GradeResult(int lesson, String title, List<TaskOutcome> tasks, Integer firstFailing, boolean compiled,
        double seconds, long sentAt) {
    /** Status of a task whose checks passed. */
    public static final String PASSED = "passed";
    /** Status of a task whose checks failed, timed out, or whose TODO is left. */
    public static final String FAILED = "failed";
    /** Status of a task that could not be checked here (no browser). */
    public static final String NOT_CHECKED = "not checked";

    static final int MAX_TASKS = 20;
    static final int MAX_TITLE = 200;
    private static final Set<String> STATUSES = Set.of(PASSED, FAILED, NOT_CHECKED);

    /**
     * One task of a result.
     *
     * @param number the task number
     * @param title  the task's title
     * @param status {@link #PASSED}, {@link #FAILED} or {@link #NOT_CHECKED}
     */
    public record TaskOutcome(int number, String title, String status) {
    }

    public GradeResult {
        tasks = List.copyOf(tasks);
        title = title == null ? "" : title;
    }

    /** The same result stamped with the time it is sent. */
    public GradeResult sentNow() {
        return new GradeResult(lesson, title, tasks, firstFailing, compiled, seconds, System.currentTimeMillis());
    }

    /**
     * Reads a result from the event's first argument (a JSON object), as the dashboard receives it.
     *
     * @throws IllegalArgumentException with one sentence saying which field is wrong and what was expected
     */
    static GradeResult fromEvent(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a result must be a JSON object {lesson, title, tasks, ...}, got "
                    + describe(value));
        }
        int lesson = integer(map.get("lesson"), "lesson", 1, 99);
        String title = text(map.get("title"), "title");
        Object compiled = map.get("compiled");
        if (compiled != null && !(compiled instanceof Boolean)) {
            throw new IllegalArgumentException("compiled must be true or false, got " + describe(compiled));
        }
        boolean compiles = compiled == null || (Boolean) compiled;
        // a lesson that does not compile has no task results; one that compiles has 1 to MAX_TASKS
        if (!(map.get("tasks") instanceof List<?> list) || list.isEmpty() && compiles || list.size() > MAX_TASKS) {
            throw new IllegalArgumentException("tasks must be a list of 1 to " + MAX_TASKS + " tasks, got "
                    + describe(map.get("tasks")));
        }
        List<TaskOutcome> tasks = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "tasks[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> task)) {
                throw new IllegalArgumentException(where + " must be an object {number, title, status}, got "
                        + describe(list.get(i)));
            }
            int number = integer(task.get("number"), where + ".number", 1, MAX_TASKS);
            if (!numbers.add(number)) {
                throw new IllegalArgumentException(where + ".number " + number + " appears twice");
            }
            Object status = task.get("status");
            if (!(status instanceof String s) || !STATUSES.contains(s)) {
                throw new IllegalArgumentException(where + ".status must be one of \"passed\", \"failed\", \"not checked\", got "
                        + describe(status));
            }
            tasks.add(new TaskOutcome(number, text(task.get("title"), where + ".title"), s));
        }
        Integer firstFailing = null;
        if (map.get("firstFailing") != null) {
            firstFailing = integer(map.get("firstFailing"), "firstFailing", 1, MAX_TASKS);
            if (!numbers.contains(firstFailing)) {
                throw new IllegalArgumentException("firstFailing is task " + firstFailing + ", which is not among the tasks "
                        + numbers);
            }
        }
        double seconds = map.get("seconds") instanceof Number n ? n.doubleValue() : 0;
        long sentAt = map.get("sentAt") instanceof Number n ? n.longValue() : 0;
        return new GradeResult(lesson, title, tasks, firstFailing, compiles, seconds, sentAt);
    }

    private static int integer(Object value, String field, int min, int max) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max + ", got "
                    + describe(value));
        }
        return ((Number) value).intValue();
    }

    private static String text(Object value, String field) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof String s) || s.length() > MAX_TITLE) {
            throw new IllegalArgumentException(field + " must be a text of at most " + MAX_TITLE + " characters, got "
                    + describe(value));
        }
        return s;
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (value instanceof Map || value instanceof List) {
            return value instanceof Map ? "an object" : "a list of " + ((List<?>) value).size();
        }
        return value.toString();
    }
}
