package relaylab.workbook;

/**
 * Runs a lesson's demo from its {@code main} method. When the demo reaches code the learner has
 * not written yet (an {@code UnsupportedOperationException("TODO N: ...")}), it prints which TODO
 * to start with, its hint and how to grade, instead of a stack trace, and exits with status 1.
 */
public final class Exercise {

    /** The demo body of a lesson; may throw anything, which {@link #run} reports. */
    @FunctionalInterface
    public interface Demo {
        void run() throws Exception;
    }

    private Exercise() {
    }

    /**
     * Called by every lesson's {@code main}: runs {@code demo} and turns an unfinished TODO or an
     * unexpected error into a short message for the learner.
     *
     * @param lessonClass the class annotated with {@link Lesson}
     * @param demo        what the lesson shows when run
     */
    public static void run(Class<?> lessonClass, Demo demo) {
        Lesson lesson = lessonClass.getAnnotation(Lesson.class);
        if (lesson == null) {
            throw new IllegalArgumentException(lessonClass.getName() + " has no @Lesson annotation");
        }
        try {
            demo.run();
        } catch (UnsupportedOperationException e) {
            Integer todo = Tasks.todoNumber(e.getMessage());
            if (todo == null) {
                fail(lesson, "unexpected error: " + e);
            }
            System.err.println();
            System.err.printf("Lesson %02d (%s) is not finished yet: %s%n", lesson.number(), lesson.title(), e.getMessage());
            System.err.printf("Start with TODO %d: search for \"// TODO %d\" in the lesson's files.%n", todo, todo);
            Task task = Tasks.declaredOn(java.util.List.of(lessonClass)).get(todo);
            if (task != null) {
                System.err.printf("Hint (task %d, %s): %s%n", todo, task.title(), task.hint());
            }
            System.err.printf("Check your work with: ./jbang grade %02d%n", lesson.number());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(lesson, "interrupted");
        } catch (Exception e) {
            fail(lesson, describe(e));
        }
    }

    private static void fail(Lesson lesson, String message) {
        System.err.printf("Lesson %02d stopped: %s%n", lesson.number(), message);
        System.err.printf("Run ./jbang grade %02d to see which task needs work.%n", lesson.number());
        System.exit(1);
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n  caused by: ").append(cause);
        }
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0) {
            text.append("\n  at ").append(trace[0]);
        }
        return text.toString();
    }
}
