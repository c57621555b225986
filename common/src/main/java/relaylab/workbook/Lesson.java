package relaylab.workbook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the main class of a lesson script. The grader, the progress view, the catalog check and
 * the README check read the lesson's number, title and summary from here and nowhere else.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Lesson {
    /** The lesson number, as in the folder name {@code lessons/NN-slug}. */
    int number();

    /** A short title shown in the progress table, e.g. "Events". */
    String title();

    /** One sentence saying what the learner builds. */
    String summary();
}
