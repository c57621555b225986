package relaylab.workbook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a piece of code the learner writes. Tests check it with {@code @Tag("task:N")}; the
 * grader prints its title and, while it fails, its hint. Every task needs at least one test,
 * and every task tag must name a task declared here: the build checks both.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Task {
    /** The task number, 1 for the first task; matches {@code // TODO N} and {@code @Tag("task:N")}. */
    int number();

    /** What the learner builds, in a few words, e.g. "Register listeners with on()". */
    String title();

    /** A nudge shown by the grader while the task fails and by {@code grade NN --hint N}. */
    String hint();
}
