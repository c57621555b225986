package relaylab.grader;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.management.NotificationEmitter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import relaylab.grader.GradeReport.Status;

/**
 * The JVM in which a lesson's tests run, started by {@link TestRunner} for every grading run, so
 * that whatever the learner's code does (loop forever, fill the heap, call System.exit, leave
 * threads running, print without end) it cannot take the grader down: the grader kills this JVM
 * and reports what happened. It reads one request line (JSON) on stdin and writes one event per
 * line on its own stdout; everything the tests print is captured per test and sent with it.
 */
final class TestChild {
    /** Every protocol line starts with this, so a stray write to the real stdout is not taken for an event. */
    static final String MARK = "\u0001relaylab ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_MILLIS = 200;
    /** How many times a test's timeout a test class's set-up and tear-down may take. */
    private static final int CONTAINER_FACTOR = 3;
    /** The exit status when the heap ran out outside the tests' threads (as -XX:+ExitOnOutOfMemoryError would). */
    static final int OUT_OF_MEMORY = 3;

    private final PrintStream protocol;
    private final OutputCapture capture;
    private final Set<String> learnerFiles = new HashSet<>();
    private final Set<String> knownLoops = new HashSet<>();
    private final Deque<Running> running = new ArrayDeque<>();
    private volatile boolean finishing;
    /** With "untilFailed": the tasks still waiting for a failing test; when none is left, the rest is skipped ({@link Proven}). */
    private Set<Integer> waitingForFailure;
    private volatile boolean fatal;
    private long timeoutMillis;

    /** A test or container that started and has not finished, and when its last sign of progress was. */
    /** A test or container running since {@code since}, stopped when it takes longer than {@code allowed}. */
    private record Running(String id, long since, long allowed) {
    }

    private TestChild(PrintStream protocol, OutputCapture capture) {
        this.protocol = protocol;
        this.capture = capture;
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        OutputCapture capture = new OutputCapture();
        // before anything else runs: loggers that keep System.err (java.util.logging's ConsoleHandler) keep the capture
        System.setOut(capture.stream());
        System.setErr(capture.stream());
        CompletableFuture<Launcher> launcher = CompletableFuture.supplyAsync(LauncherFactory::create);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            return; // the grader did not need this JVM after all (the lesson did not compile)
        }
        new TestChild(protocol, capture).run(JSON.readTree(line), launcher.get());
    }

    private void run(JsonNode request, Launcher launcher) {
        timeoutMillis = request.path("timeoutSeconds").asLong(10) * 1000;
        request.path("learnerFiles").forEach(f -> learnerFiles.add(f.asText()));
        request.path("knownLoops").forEach(f -> knownLoops.add(f.asText()));
        Set<String> excluded = new HashSet<>();
        request.path("excluded").forEach(f -> excluded.add(f.asText()));
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.execution.timeout.mode", "disabled");
        // the lesson's classes come from their own loader, so the JVM's class path holds only jars (CDS can map them)
        List<URL> lessonPath = new ArrayList<>();
        for (JsonNode entry : request.path("lessonPath")) {
            try {
                lessonPath.add(Path.of(entry.asText()).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a folder: " + entry.asText(), e);
            }
        }
        if (request.path("untilFailed").asBoolean()) {
            lessonPath.add(Proven.registration());
            builder.configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true");
        }
        ClassLoader lessonLoader = new URLClassLoader(lessonPath.toArray(URL[]::new), TestChild.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(lessonLoader);
        request.path("testClasses").forEach(c -> builder.selectors(selectClass(lessonLoader, c.asText())));
        if (request.hasNonNull("onlyTask")) {
            builder.filters(TagFilter.includeTags("task:" + request.get("onlyTask").asInt()));
        }
        builder.filters((PostDiscoveryFilter) descriptor -> excluded.contains(descriptor.getUniqueId().toString())
                ? FilterResult.excluded("already graded") : FilterResult.included("not graded yet"));
        LauncherDiscoveryRequest discovery = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::exitCalled, "relaylab-exit-watch"));
        watchMemory();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError && !fatal) {
                StackTraceElement frame = Busy.first(error.getStackTrace(), learnerFiles);
                fatal(event("memory").put("id", currentId()).put("busy", frame == null
                        ? "a thread of the lesson ran out of memory" : "it was allocating in " + Busy.describe(frame)));
            }
        });
        TestPlan plan = launcher.discover(discovery);
        sendPlan(plan);
        if (request.path("untilFailed").asBoolean()) {
            waitingForFailure = new HashSet<>();
            if (request.hasNonNull("onlyTask")) {
                waitingForFailure.add(request.get("onlyTask").asInt());
            } else {
                plan.getRoots().forEach(root -> plan.getDescendants(root).stream().filter(TestIdentifier::isTest)
                        .forEach(test -> waitingForFailure.addAll(Explainer.tasks(test))));
            }
        }
        Thread watchdog = new Thread(this::watch, "relaylab-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            launcher.execute(plan, new Listener(plan, new Explainer(learnerFiles)));
        } catch (OutOfMemoryError e) {
            // JUnit lets it through; the test's objects are garbage now, so there is room to say where it happened
            StackTraceElement frame = Busy.first(e.getStackTrace(), learnerFiles);
            fatal(event("memory").put("id", currentId())
                    .put("busy", frame == null ? Busy.find(learnerFiles).describe() : "it was allocating in " + Busy.describe(frame)));
        }
        finishing = true;
        send(event("done"));
        System.exit(0);
    }

    private void sendPlan(TestPlan plan) {
        ObjectNode event = event("plan");
        var tests = event.putArray("tests");
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier test : plan.getDescendants(root)) {
                if (test.isTest()) {
                    ObjectNode t = tests.addObject();
                    t.put("id", test.getUniqueId());
                    t.put("testClass", Explainer.testClass(test));
                    t.put("displayName", test.getDisplayName());
                    t.put("method", Explainer.method(test));
                    var tags = t.putArray("tasks");
                    Explainer.tasks(test).forEach(tags::add);
                }
            }
        }
        send(event);
    }

    /**
     * How long {@code id} may run: the grading run's limit for a test, {@link #CONTAINER_FACTOR} times it for a test
     * class's set-up (starting a browser, a server), or more when the test itself declares a longer {@code @Timeout}
     * (a test that starts and kills twenty processes knows it needs longer than one that sends a message).
     */
    private long allowedFor(TestIdentifier id) {
        long allowed = id.isTest() ? timeoutMillis : CONTAINER_FACTOR * timeoutMillis;
        if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource source) {
            Timeout declared = source.getJavaMethod().getAnnotation(Timeout.class);
            if (declared != null) {
                allowed = Math.max(allowed, declared.unit().toMillis(declared.value()));
            }
        }
        return allowed;
    }

    /** Reports a test that makes no progress for too long, or spins in a loop that already timed out a test. */
    private void watch() {
        List<String> lastLoops = new ArrayList<>();
        while (!finishing && !fatal) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Running current;
            synchronized (running) {
                current = running.peek();
            }
            if (current == null) {
                continue;
            }
            long elapsed = System.currentTimeMillis() - current.since();
            long allowed = current.allowed();
            if (elapsed > allowed) {
                Busy busy = Busy.find(learnerFiles);
                fatal(event("timeout").put("id", current.id()).put("seconds", allowed / 1000)
                        .put("busy", busy.describe()).put("loop", busy.key()));
                return;
            }
            if (!knownLoops.isEmpty() && elapsed > 1000) {
                Busy busy = Busy.find(learnerFiles);
                lastLoops.add(busy.key() != null && knownLoops.contains(busy.key()) ? busy.key() : "");
                if (lastLoops.size() > 3) {
                    lastLoops.remove(0);
                }
                // three verdicts in a row (each from a few dumps), over about a second: the same loop as before
                if (lastLoops.size() == 3 && lastLoops.stream().allMatch(k -> !k.isEmpty() && k.equals(lastLoops.get(0)))) {
                    fatal(event("timeout").put("id", current.id()).put("seconds", elapsed / 1000).put("sameLoop", true)
                            .put("busy", busy.describe()).put("loop", busy.key()));
                    return;
                }
            } else {
                lastLoops.clear();
            }
        }
    }

    /** A heap nearly full after a full collection: report where the code was before the JVM dies of it. */
    private void watchMemory() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && pool.getUsage().getMax() > 0) {
                pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * 0.85));
            }
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((notification, handback) -> {
            if (notification.getType().equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED) && !fatal) {
                Busy busy = Busy.find(learnerFiles);
                if (busy.frame() != null) { // otherwise the OutOfMemoryError itself says where, below in run()
                    fatal(event("memory").put("id", currentId()).put("busy", busy.describe()));
                }
            }
        }, null, null);
    }

    /** Shutdown hook: the learner's code called System.exit (a normal end sets {@code finishing} first). */
    private void exitCalled() {
        if (finishing || fatal) {
            return;
        }
        Running current;
        synchronized (running) {
            current = running.peek();
        }
        send(event("exit").put("id", current == null ? null : current.id()).put("where", Busy.exitCaller(learnerFiles)));
    }

    private String currentId() {
        synchronized (running) {
            Running current = running.peek();
            return current == null ? null : current.id();
        }
    }

    /** Sends a fatal event and waits to be killed by the grader; halts by itself if that does not come. */
    private void fatal(ObjectNode event) {
        fatal = true;
        send(event);
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(4);
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("e", type);
    }

    private void send(ObjectNode event) {
        synchronized (protocol) {
            protocol.println(MARK + event);
            protocol.flush();
        }
    }

    /** Forwards JUnit's events: start and end of each test, with its captured output and explanation. */
    private final class Listener implements TestExecutionListener {
        private final TestPlan plan;
        private final Explainer explainer;

        Listener(TestPlan plan, Explainer explainer) {
            this.plan = plan;
            this.explainer = explainer;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            synchronized (running) {
                running.push(new Running(id.getUniqueId(), System.currentTimeMillis(), allowedFor(id)));
            }
            if (id.isTest()) {
                capture.begin();
                send(event("start").put("id", id.getUniqueId()));
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            List<TestIdentifier> tests = id.isTest() ? List.of(id)
                    : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).toList();
            Explainer.Result skipped = Explainer.skipped(reason);
            tests.forEach(test -> sendEnd(test, skipped.status(), skipped.message(), ""));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            synchronized (running) {
                running.removeIf(r -> r.id().equals(id.getUniqueId()));
                // the enclosing container made progress: its clock starts again
                Running outer = running.poll();
                if (outer != null) {
                    running.push(new Running(outer.id(), System.currentTimeMillis(), outer.allowed()));
                }
            }
            Explainer.Result explained = explainer.explain(result);
            if (id.isTest()) {
                sendEnd(id, explained.status(), explained.message(), capture.end());
            } else if (explained.status() != Status.PASSED) {
                String output = capture.end();
                for (TestIdentifier test : plan.getDescendants(id)) {
                    if (test.isTest()) {
                        sendEnd(test, explained.status(), explained.status() != Status.FAILED
                                ? explained.message() : "the test class failed before this test could run: "
                                + explained.message(), output);
                    }
                }
            }
        }

        private void sendEnd(TestIdentifier test, Status status, String message, String output) {
            send(event("end").put("id", test.getUniqueId()).put("status", status.name()).put("message", message).put("output", output));
            if (waitingForFailure != null && (status == Status.FAILED || status == Status.TIMED_OUT)) {
                waitingForFailure.removeAll(Explainer.tasks(test));
                // every task asked about has a failing test: what is left cannot change that, so it is skipped
                Proven.done = waitingForFailure.isEmpty();
            }
        }
    }

    /**
     * With "untilFailed" (the build proving that tasks fail): once every task asked about has a failing test,
     * the tests left are skipped, while the classes already started still tear down (close their browser,
     * stop their server). Registered through JUnit's extension auto-detection from a folder made for it.
     */
    public static final class Proven implements ExecutionCondition {
        static volatile boolean done;

        /** Needed by auto-detection. */
        public Proven() {
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return done ? ConditionEvaluationResult.disabled("not needed: the task's failure is proven")
                    : ConditionEvaluationResult.enabled("the task's failure is not proven yet");
        }

        /** A folder holding only the service file that names this class, for the lessons' class loader. */
        static URL registration() {
            try {
                Path folder = Files.createTempDirectory("relaylab-proven-");
                Path services = Files.createDirectories(folder.resolve("META-INF/services"));
                Files.writeString(services.resolve(Extension.class.getName()), Proven.class.getName() + "\n");
                // deleted in the reverse order of registration: the file first, the folder last
                for (Path p : List.of(folder, services.getParent(), services, services.resolve(Extension.class.getName()))) {
                    p.toFile().deleteOnExit();
                }
                return folder.toUri().toURL();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot register the early stop of a failure proof", e);
            }
        }
    }
}
