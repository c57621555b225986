package relaylab.grader;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import relaylab.grader.GradeReport.Status;
import relaylab.testing.Browser;
import relaylab.workbook.Todo;

/** Turns a test's result into a status and a sentence for the learner; runs in the tests' JVM ({@link TestChild}). */
final class Explainer {
    /** An assertion about an exception that met the exercise's "TODO N" stub instead. */
    private static final Pattern TODO_INSIDE = Todo.QUOTED_STUB;

    private final Set<String> learnerFiles;

    Explainer(Set<String> learnerFiles) {
        this.learnerFiles = learnerFiles;
    }

    record Result(Status status, String message) {
    }

    Result explain(TestExecutionResult result) {
        Throwable error = result.getThrowable().orElse(null);
        return switch (result.getStatus()) {
            case SUCCESSFUL -> new Result(Status.PASSED, null);
            case ABORTED -> skipped(error == null ? "aborted" : error.getMessage());
            case FAILED -> new Result(Status.FAILED, explain(error));
        };
    }

    /** A skipped test; one skipped for want of a browser is "not checked here", not a failure. */
    static Result skipped(String reason) {
        String text = String.valueOf(reason);
        if (text.contains(Browser.NO_BROWSER)) {
            return new Result(Status.NOT_CHECKED, "not checked here: needs Chrome or Chromium"
                    + text.substring(text.indexOf(Browser.NO_BROWSER) + Browser.NO_BROWSER.length()).replaceFirst("^:", " —"));
        }
        return new Result(Status.SKIPPED, "skipped: " + text);
    }

    /** A sentence for the learner: the assertion message, the TODO not yet done, or the error and where. */
    String explain(Throwable error) {
        if (error == null) {
            return "failed";
        }
        if (Todo.isStub(error)) {
            return "not written yet: " + error.getMessage() + where(error);
        }
        if (error instanceof AssertionError) {
            Matcher todoInside = TODO_INSIDE.matcher(String.valueOf(error.getMessage()));
            return todoInside.find() ? "not written yet: " + todoInside.group(1) + where(error)
                    : String.valueOf(error.getMessage()).strip();
        }
        StringBuilder text = new StringBuilder(error.getClass().getName()).append(": ").append(error.getMessage());
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
        }
        return text.append(where(error)).toString();
    }

    /** " (at Events.java:55)" for the first stack frame in one of the lesson's files. */
    private String where(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            for (StackTraceElement frame : e.getStackTrace()) {
                if (learnerFiles.contains(frame.getFileName())) {
                    return " (at " + frame.getFileName() + ":" + frame.getLineNumber() + ")";
                }
            }
        }
        return "";
    }

    static Set<Integer> tasks(TestIdentifier id) {
        Set<Integer> tasks = new TreeSet<>();
        id.getTags().forEach(tag -> {
            String name = tag.getName();
            if (name.startsWith("task:") && name.substring(5).matches("\\d+")) {
                tasks.add(Integer.parseInt(name.substring(5)));
            }
        });
        return tasks;
    }

    static String method(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof MethodSource m ? m.getMethodName() : null;
    }

    static String testClass(TestIdentifier id) {
        TestSource source = id.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return simple(method.getClassName());
        }
        if (source instanceof ClassSource type) {
            return simple(type.getClassName());
        }
        return id.getLegacyReportingName();
    }

    private static String simple(String className) {
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        return top.substring(top.lastIndexOf('.') + 1);
    }
}
