package relaylab.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TestOutcome;
import relaylab.workbook.Tasks;
import relaylab.workbook.Todo;

/** Runs a lesson's test classes on the JUnit Platform and turns each test into a {@link TestOutcome}. */
final class TestRunner {
    /** An assertion about an exception that met the exercise's "TODO N" stub instead. */
    private static final Pattern TODO_INSIDE = Todo.QUOTED_STUB;

    private final int timeoutSeconds;

    TestRunner(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Runs the tests (only those tagged task:{@code onlyTask} when it is not null) and returns their outcomes. */
    List<TestOutcome> run(List<Class<?>> testClasses, ClassLoader loader, List<String> sourceFileNames, Integer onlyTask) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.execution.timeout.default", timeoutSeconds + " s")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .configurationParameter("junit.platform.output.capture.stdout", "true")
                .configurationParameter("junit.platform.output.capture.stderr", "true")
                .configurationParameter("junit.platform.output.capture.maxBuffer", "65536");
        testClasses.forEach(c -> request.selectors(selectClass(c)));
        if (onlyTask != null) {
            request.filters(TagFilter.includeTags("task:" + onlyTask));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Launcher launcher = LauncherFactory.create();
            TestPlan plan = launcher.discover(discovery);
            Collector collector = new Collector(plan, sourceFileNames);
            launcher.execute(plan, collector);
            return collector.outcomes();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Records each finished test, its captured output, and failures of containers around tests. */
    private static final class Collector implements TestExecutionListener {
        private final TestPlan plan;
        private final List<String> sourceFileNames;
        private final Map<String, TestOutcome> outcomes = new LinkedHashMap<>();
        private final Map<String, StringBuilder> output = new LinkedHashMap<>();

        Collector(TestPlan plan, List<String> sourceFileNames) {
            this.plan = plan;
            this.sourceFileNames = sourceFileNames;
        }

        List<TestOutcome> outcomes() {
            return new ArrayList<>(outcomes.values());
        }

        @Override
        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
            entry.getKeyValuePairs().forEach((key, value) -> {
                if (key.equals("stdout") || key.equals("stderr")) {
                    output.computeIfAbsent(id.getUniqueId(), k -> new StringBuilder()).append(value);
                }
            });
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                record(id, Status.SKIPPED, "skipped: " + reason);
            } else {
                plan.getDescendants(id).stream().filter(TestIdentifier::isTest)
                        .forEach(test -> record(test, Status.SKIPPED, "skipped: " + reason));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Throwable error = result.getThrowable().orElse(null);
            Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> Status.PASSED;
                case ABORTED -> Status.SKIPPED;
                case FAILED -> error instanceof TimeoutException ? Status.TIMED_OUT : Status.FAILED;
            };
            String message = status == Status.PASSED ? null
                    : status == Status.SKIPPED ? "skipped: " + (error == null ? "aborted" : error.getMessage())
                    : explain(error);
            if (id.isTest()) {
                record(id, status, message);
            } else if (status != Status.PASSED) {
                for (TestIdentifier test : plan.getDescendants(id)) {
                    if (test.isTest() && !outcomes.containsKey(test.getUniqueId())) {
                        record(test, status, status == Status.SKIPPED ? message
                                : "the test class failed before this test could run: " + message);
                    }
                }
            }
        }

        private void record(TestIdentifier id, Status status, String message) {
            Set<Integer> tasks = new TreeSet<>();
            id.getTags().forEach(tag -> {
                String name = tag.getName();
                if (name.startsWith("task:") && name.substring(5).matches("\\d+")) {
                    tasks.add(Integer.parseInt(name.substring(5)));
                }
            });
            StringBuilder printed = output.get(id.getUniqueId());
            String method = id.getSource().orElse(null) instanceof MethodSource m ? m.getMethodName() : null;
            outcomes.put(id.getUniqueId(), new TestOutcome(testClass(id), id.getDisplayName(), method, tasks, status, message,
                    printed == null ? "" : printed.toString()));
        }

        private static String testClass(TestIdentifier id) {
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

        /** A sentence for the learner: the assertion message, the TODO not yet done, or the error and where. */
        private String explain(Throwable error) {
            if (error == null) {
                return "failed";
            }
            if (error instanceof TimeoutException) {
                return "timed out: " + error.getMessage() + " (an endless loop, or waiting for something that never came?)";
            }
            Integer todo = Tasks.todoNumber(error.getMessage());
            if (error instanceof UnsupportedOperationException && todo != null) {
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
                    String file = frame.getFileName();
                    if (file != null && !file.endsWith("Test.java") && sourceFileNames.contains(file)) {
                        return " (at " + file + ":" + frame.getLineNumber() + ")";
                    }
                }
            }
            return "";
        }
    }
}
