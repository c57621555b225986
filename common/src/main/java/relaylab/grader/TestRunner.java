package relaylab.grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import relaylab.grader.GradeReport.Status;
import relaylab.grader.GradeReport.TestOutcome;

/**
 * Runs a lesson's tests in a child JVM ({@link TestChild}) with a capped heap, and turns each test
 * into a {@link TestOutcome}. When the learner's code loops, fills the heap or ends the JVM, the
 * child is killed (with any browser it started), the test is reported with what happened and
 * where, and a fresh child runs the tests that are left.
 */
final class TestRunner {
    /** The heap of the tests' JVM: plenty for a lesson and a browser driver, small enough to fill fast. */
    static final String HEAP = "512m";
    private static final int MAX_STDERR = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int timeoutSeconds;

    TestRunner(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Runs the tests (only those tagged task:{@code onlyTask} when it is not null), starting with
     * {@code first}, a child started early with {@link Child#start} so its start-up overlaps compiling.
     *
     * @param learnerFiles the names of the lesson's own source files, to say where its code was busy
     * @param untilFailed  stop once each task run ({@code onlyTask}, or every task) has a failing test: the build's
     *                     proofs that tasks fail need no more, and the tests left are reported as skipped
     */
    List<TestOutcome> run(Child first, List<Path> classPath, List<String> testClasses, Collection<String> learnerFiles,
            Integer onlyTask, boolean untilFailed) {
        Map<String, JsonNode> plan = new LinkedHashMap<>();
        Map<String, TestOutcome> outcomes = new LinkedHashMap<>();
        List<String> knownLoops = new ArrayList<>();
        Child child = first;
        Child spare = null;
        try {
            while (true) {
                ObjectNode request = JSON.createObjectNode().put("timeoutSeconds", timeoutSeconds);
                classPath.forEach(p -> request.withArray("lessonPath").add(p.toString()));
                testClasses.forEach(request.putArray("testClasses")::add);
                learnerFiles.forEach(request.putArray("learnerFiles")::add);
                knownLoops.forEach(request.putArray("knownLoops")::add);
                outcomes.keySet().forEach(request.putArray("excluded")::add);
                if (onlyTask != null) {
                    request.put("onlyTask", onlyTask);
                }
                request.put("untilFailed", untilFailed);
                Ending ending = child.run(request, plan, outcomes, timeoutSeconds);
                if (ending.done()) {
                    return new ArrayList<>(outcomes.values());
                }
                if (plan.isEmpty()) {
                    throw new GradeException("the tests could not start: " + ending.message()
                            + (child.stderr().isBlank() ? "" : "\n" + child.stderr().strip()));
                }
                Set<String> blamed = blamed(ending.id(), plan, outcomes);
                for (String id : blamed) {
                    JsonNode test = plan.get(id);
                    outcomes.put(id, outcome(test, ending.status(), message(test, ending, knownLoops.contains(ending.loop()))));
                }
                if (ending.loop() != null && !knownLoops.contains(ending.loop())) {
                    knownLoops.add(ending.loop());
                }
                if (outcomes.keySet().containsAll(plan.keySet()) || blamed.isEmpty()
                        || untilFailed && failedEach(onlyTask, plan.values(), outcomes.values())) {
                    return new ArrayList<>(outcomes.values());
                }
                // once a child was killed, another may be: keep a spare starting while the next one runs
                child = spare != null ? spare : Child.start(classPath);
                spare = Child.start(classPath);
            }
        } finally {
            if (spare != null) {
                spare.kill();
            }
        }
    }

    /** True when each task ({@code onlyTask}, or every task of the plan) has a failed or stopped test. */
    private static boolean failedEach(Integer onlyTask, Collection<JsonNode> plan, Collection<TestOutcome> outcomes) {
        Set<Integer> waiting = new TreeSet<>();
        if (onlyTask != null) {
            waiting.add(onlyTask);
        } else {
            plan.forEach(test -> waiting.addAll(tasks(test)));
        }
        outcomes.stream().filter(o -> o.status() == Status.FAILED || o.status() == Status.TIMED_OUT)
                .forEach(o -> waiting.removeAll(o.tasks()));
        return waiting.isEmpty();
    }

    /** The tests a dead child's ending is blamed on: the test it was in, or every unfinished test of its container. */
    private static Set<String> blamed(String id, Map<String, JsonNode> plan, Map<String, TestOutcome> outcomes) {
        Set<String> blamed = new LinkedHashSet<>();
        if (id != null && plan.containsKey(id)) {
            blamed.add(id);
            return blamed;
        }
        for (String test : plan.keySet()) {
            if (!outcomes.containsKey(test) && (id == null || test.startsWith(id))) {
                blamed.add(test);
            }
        }
        return blamed;
    }

    private String message(JsonNode test, Ending ending, boolean knownLoop) {
        Set<Integer> tasks = tasks(test);
        String who = tasks.isEmpty() ? "this test" : "task " + tasks.iterator().next();
        return switch (ending.kind()) {
            case "timeout" -> ending.sameLoop()
                    ? who + " did not finish: after " + ending.seconds() + " s " + ending.busy().replaceFirst("^it was", "it was still")
                    + ", the loop that stopped an earlier test, so it was stopped early"
                    : who + " did not finish in " + ending.seconds() + " s: " + ending.busy()
                    + (knownLoop ? ", the loop that stopped an earlier test" : " (an endless loop, or waiting for something that never came?)");
            case "memory" -> who + " ran out of memory (the tests may use " + HEAP.replace("m", " MB") + "): " + ending.busy()
                    + " (a loop that keeps adding to a collection?)";
            case "exit" -> "the code called System.exit(" + ending.exitStatus() + ")"
                    + (ending.busy() == null ? "" : " in " + ending.busy())
                    + ", which would end the whole program; throw an exception or return instead";
            default -> ending.message();
        };
    }

    private static TestOutcome outcome(JsonNode test, Status status, String message) {
        return new TestOutcome(test.path("testClass").asText(), test.path("displayName").asText(),
                test.path("method").isNull() ? null : test.path("method").asText(null), tasks(test), status, message, "");
    }

    private static Set<Integer> tasks(JsonNode test) {
        Set<Integer> tasks = new TreeSet<>();
        test.path("tasks").forEach(t -> tasks.add(t.asInt()));
        return tasks;
    }

    /**
     * How a child's run ended: {@code done} when every test ran, otherwise what stopped it.
     *
     * @param kind "timeout", "memory", "exit" or "died"
     * @param id   the test or container it was in, or null when unknown
     */
    record Ending(boolean done, String kind, String id, Status status, String busy, String loop, long seconds,
            boolean sameLoop, Integer exitStatus, String message) {
        static Ending finished() {
            return new Ending(true, "done", null, Status.PASSED, null, null, 0, false, null, null);
        }
    }

    /** One tests' JVM: started early, given one request, read until it ends, then killed with its children. */
    static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder stderr = new StringBuilder();
        private static final String EOF = "\u0000eof";

        private Child(Process process) {
            this.process = process;
            Thread out = new Thread(() -> read(process.getInputStream(), false), "relaylab-child-out");
            Thread err = new Thread(() -> read(process.getErrorStream(), true), "relaylab-child-err");
            out.setDaemon(true);
            err.setDaemon(true);
            out.start();
            err.start();
        }

        /**
         * Starts a tests' JVM with the grader's class path; the lesson's folders ({@code classPath}) come with
         * the request. It waits for its request, loading JUnit meanwhile.
         */
        static Child start(List<Path> classPath) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            String cp = System.getProperty("java.class.path");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + HEAP,
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true"));
            command.addAll(ClassDataArchive.options(cp));
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("relaylab."))
                    .forEach(n -> command.add("-D" + n + "=" + System.getProperty(n)));
            command.addAll(List.of("-cp", cp, TestChild.class.getName()));
            try {
                return new Child(new ProcessBuilder(command).start());
            } catch (IOException e) {
                throw new GradeException("cannot start a Java process for the tests (" + java + "): " + e.getMessage());
            }
        }

        private void read(InputStream stream, boolean error) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (error) {
                        synchronized (stderr) {
                            if (stderr.length() < MAX_STDERR) {
                                stderr.append(line).append('\n');
                            }
                        }
                    } else if (line.startsWith(TestChild.MARK)) {
                        lines.add(line.substring(TestChild.MARK.length()));
                    }
                }
            } catch (IOException e) {
                // the child was killed while we read: its end is reported by run()
            } finally {
                if (!error) {
                    lines.add(EOF);
                }
            }
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        /** Sends the request and records plan and outcomes until the child ends; always leaves it dead. */
        Ending run(ObjectNode request, Map<String, JsonNode> plan, Map<String, TestOutcome> outcomes, int timeoutSeconds) {
            try {
                OutputStream in = process.getOutputStream();
                in.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                kill();
                return died("the tests' Java process ended before it could start (" + e.getMessage() + ")");
            }
            String current = null;
            try {
                while (true) {
                    // the child's watchdog reports a stuck test after timeoutSeconds; this is the backstop when it cannot
                    String line = lines.poll(timeoutSeconds + 30L, TimeUnit.SECONDS);
                    if (line == null) {
                        kill();
                        return new Ending(false, "timeout", current, Status.TIMED_OUT,
                                "the tests' Java process stopped answering", null, timeoutSeconds + 30L, false, null, null);
                    }
                    if (line.equals(EOF)) {
                        process.waitFor(5, TimeUnit.SECONDS);
                        kill();
                        return died(current);
                    }
                    JsonNode event = JSON.readTree(line);
                    String id = event.path("id").asText(null);
                    switch (event.path("e").asText()) {
                        case "plan" -> event.path("tests").forEach(t -> plan.putIfAbsent(t.path("id").asText(), t));
                        case "start" -> current = id;
                        case "end" -> {
                            if (plan.containsKey(id) && !outcomes.containsKey(id)) {
                                outcomes.put(id, new TestOutcome(plan.get(id).path("testClass").asText(),
                                        plan.get(id).path("displayName").asText(), plan.get(id).path("method").asText(null),
                                        tasks(plan.get(id)), Status.valueOf(event.path("status").asText()),
                                        event.path("message").asText(null), event.path("output").asText("")));
                            }
                            current = id.equals(current) ? null : current;
                        }
                        case "done" -> {
                            finish();
                            return Ending.finished();
                        }
                        case "timeout" -> {
                            kill();
                            return new Ending(false, "timeout", id, Status.TIMED_OUT, event.path("busy").asText(),
                                    event.path("loop").asText(null), event.path("seconds").asLong(),
                                    event.path("sameLoop").asBoolean(), null, null);
                        }
                        case "memory" -> {
                            kill();
                            return new Ending(false, "memory", id, Status.FAILED, event.path("busy").asText(), null, 0,
                                    false, null, null);
                        }
                        case "exit" -> {
                            process.waitFor(10, TimeUnit.SECONDS);
                            Integer status = process.isAlive() ? null : process.exitValue();
                            kill();
                            return new Ending(false, "exit", id, Status.FAILED, event.path("where").asText(null), null, 0,
                                    false, status, null);
                        }
                        default -> {
                            // an event of a newer grader: nothing to do with it here
                        }
                    }
                }
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new GradeException("interrupted while the tests ran");
            } catch (IOException e) {
                kill();
                throw new UncheckedIOException("cannot read the tests' report", e);
            }
        }

        private Ending died(String current) {
            String err = stderr();
            if (err.contains("OutOfMemoryError") || !process.isAlive() && process.exitValue() == TestChild.OUT_OF_MEMORY) {
                return new Ending(false, "memory", current, Status.FAILED, "it filled the heap too fast to see where",
                        null, 0, false, null, null);
            }
            String status = process.isAlive() ? "" : " (exit status " + process.exitValue() + ")";
            String tail = err.strip().lines().reduce((a, b) -> b).orElse("");
            return new Ending(false, "died", current, Status.FAILED, null, null, 0, false, null,
                    "the tests' Java process stopped unexpectedly" + status + (tail.isEmpty() ? "" : ": " + tail));
        }

        /** A normal end: let the child exit, then stop anything it left running (a browser, a driver). */
        private void finish() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }

        /** Kills the child and everything it started. Safe to call when it has already ended. */
        void kill() {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
