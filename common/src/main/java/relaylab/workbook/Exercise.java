package relaylab.workbook;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

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
            Task task = Tasks.declaredOn(lessonClasses(lessonClass)).get(todo);
            if (task != null) {
                System.err.printf("Hint (task %d, %s): %s%n", todo, task.title(), task.hint());
            }
            System.err.printf("Check your work with: %s%n", commands().grade(String.format("%02d", lesson.number())));
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(lesson, "interrupted");
        } catch (Exception e) {
            if (!portTaken(lesson, e)) {
                fail(lesson, describe(e));
            }
        }
    }

    /**
     * The lesson class and the other top-level classes of the lesson (same default package, same
     * jar or folder), so a task declared in a sibling file also gets its hint.
     */
    static List<Class<?>> lessonClasses(Class<?> lessonClass) {
        List<Class<?>> classes = new ArrayList<>(List.of(lessonClass));
        if (!lessonClass.getPackageName().isEmpty() || lessonClass.getProtectionDomain().getCodeSource() == null) {
            return classes;
        }
        List<String> names = new ArrayList<>();
        try {
            Path location = Path.of(lessonClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location)) {
                    files.map(f -> f.getFileName().toString()).forEach(names::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().map(JarEntry::getName).filter(n -> !n.contains("/")).forEach(names::add);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return classes; // the hint is a courtesy: without the sibling classes we still name the TODO
        }
        for (String name : names) {
            if (name.endsWith(".class") && !name.contains("$")) {
                try {
                    classes.add(Class.forName(name.substring(0, name.length() - 6), false, lessonClass.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // not loadable here (e.g. a test class without JUnit on the class path): no hint from it
                }
            }
        }
        return classes;
    }

    /**
     * The class path of a child JVM that runs a lesson's classes, e.g. a second server process the lesson starts or
     * kills (lessons 11 and 13): this JVM's class path plus the folders or jar the lesson's classes and files were
     * loaded from (the grader loads them with a loader of their own; JBang puts them on the class path).
     */
    public static String childClassPath(Class<?> lessonClass) {
        List<String> parts = new ArrayList<>();
        if (lessonClass.getClassLoader() instanceof URLClassLoader loader) {
            for (URL url : loader.getURLs()) {
                parts.add(file(url));
            }
        } else {
            parts.add(file(lessonClass.getProtectionDomain().getCodeSource().getLocation()));
        }
        parts.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, parts);
    }

    private static String file(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the lesson's classes are at " + url + ", not a folder or jar a child JVM can use", e);
        }
    }

    private static void fail(Lesson lesson, String message) {
        System.err.printf("Lesson %02d stopped: %s%n", lesson.number(), message);
        System.err.printf("Run %s to see which task needs work.%n", commands().grade(String.format("%02d", lesson.number())));
        System.exit(1);
    }

    private static Commands commands() {
        return Commands.here(null, "workshop");
    }

    /** A port another program holds is not the learner's mistake: say so, and how to take a free one. */
    private static boolean portTaken(Lesson lesson, Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.net.BindException) {
                System.err.printf("Lesson %02d could not start its server: %s. Another program (or another lesson still"
                        + " running) uses that port. Stop it, or start with --port 0 to take any free port.%n",
                        lesson.number(), e.getMessage());
                System.exit(1);
                return true;
            }
        }
        return false;
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
