package relaylab.classroom;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import relaylab.classroom.GradeResult.TaskOutcome;
import relaylab.realtime.client.RealtimeClient;

/** Simulated learners and a Java dashboard watcher for the classroom tests. */
final class Learners {
    /** How long a test waits for a connection, an event or the page: generous, for a busy machine; waits end as soon as the condition holds. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private Learners() {
    }

    /** Opens a link for {@code joined} and waits until the dashboard accepted or refused it. */
    static ClassroomLink settled(ClassroomLink.Joined joined) {
        ClassroomLink link = ClassroomLink.open(joined);
        link.awaitSettled(WAIT);
        return link;
    }

    /** A joined learner of {@code room}, with a fresh id. */
    static ClassroomLink.Joined learner(Classroom room, String name) {
        return new ClassroomLink.Joined(room.joinAddress(), name, UUID.randomUUID().toString());
    }

    /** A result of lesson {@code lesson} whose tasks have these statuses ("passed", "failed", "not checked"), in order. */
    static GradeResult result(int lesson, String... statuses) {
        List<TaskOutcome> tasks = new ArrayList<>();
        Integer first = null;
        for (int i = 0; i < statuses.length; i++) {
            tasks.add(new TaskOutcome(i + 1, "Task " + (i + 1), statuses[i]));
            if (first == null && statuses[i].equals(GradeResult.FAILED)) {
                first = i + 1;
            }
        }
        return new GradeResult(lesson, "Lesson " + lesson, tasks, first, true, 1.5, 0);
    }

    /** A Java client of the dashboard namespace that keeps every snapshot and learner event it receives. */
    static final class Watcher implements AutoCloseable {
        final RealtimeClient client;
        final BlockingQueue<Object> snapshots = new LinkedBlockingQueue<>();
        final BlockingQueue<Map<?, ?>> learners = new LinkedBlockingQueue<>();

        Watcher(Classroom room) {
            client = RealtimeClient.connect(room.joinAddress().server(), o -> o.namespace(Classroom.DASHBOARD));
            client.on(Classroom.SNAPSHOT, args -> snapshots.add(args.get(0)));
            client.on(Classroom.LEARNER, args -> learners.add((Map<?, ?>) args.get(0)));
            client.awaitConnected(WAIT);
        }

        Object snapshot() throws InterruptedException {
            Object snapshot = snapshots.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (snapshot == null) {
                throw new AssertionError("the dashboard sent no snapshot within " + WAIT.toMillis() + " ms");
            }
            return snapshot;
        }

        /** The next learner event that has a result of {@code lesson}; fails after the wait. */
        Map<?, ?> nextWithLesson(int lesson) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<Map<?, ?>> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                Map<?, ?> learner = learners.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (learner == null) {
                    break;
                }
                seen.add(learner);
                if (((List<?>) learner.get("lessons")).stream().anyMatch(l -> ((Map<?, ?>) l).get("lesson").equals(lesson))) {
                    return learner;
                }
            }
            throw new AssertionError("no learner event with lesson " + lesson + " within " + WAIT.toMillis() + " ms; received " + seen);
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }
}
