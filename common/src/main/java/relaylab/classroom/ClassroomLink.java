package relaylab.classroom;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import relaylab.realtime.client.RealtimeClient;

/**
 * A learner's side of the classroom: the join remembered in {@code .relaylab/classroom.properties} of the
 * workbook, and the connection that sends each grade result to the dashboard. Used by the grader
 * ({@code grade NN --join URL}, {@code --leave}, and every {@code grade NN} after joining).
 *
 * <p>It never holds grading up for long and never fails it: {@link #open} connects in the background while the
 * lesson is graded, and {@link #send} waits at most {@link #WAIT} for the connection and the dashboard's answer,
 * then returns one line saying what happened.
 */
public final class ClassroomLink implements AutoCloseable {
    /** The longest {@link #send} or {@link #check} waits, connection and answer together. */
    public static final Duration WAIT = Duration.ofMillis(2000);
    /** The file, under the workbook's {@code .relaylab/}, that remembers the join. */
    public static final String FILE = "classroom.properties";

    /**
     * A remembered join.
     *
     * @param address the dashboard and join code
     * @param name    the name the dashboard shows
     * @param id      a random id that keeps this learner one row on the dashboard, whatever the name
     */
    public record Joined(JoinAddress address, String name, String id) {
    }

    /** What became of a result or a join. */
    public enum Kind {
        /** The dashboard has it (or, for {@link #check}, accepted the join). */
        SENT,
        /** The dashboard did not answer in time or cannot be reached. */
        NOT_SENT,
        /** The dashboard refused the join (wrong code, bad name): the join should be forgotten. */
        REFUSED,
        /** The dashboard refused this one result, with a reason. */
        REJECTED
    }

    /** What became of a result or a join, and the one line to show the learner. */
    public record Outcome(Kind kind, String line) {
    }

    private final Joined joined;
    private final RealtimeClient client;
    private final Object lock = new Object();
    private String refusal;
    private String lastError;

    private ClassroomLink(Joined joined) {
        this.joined = joined;
        this.client = RealtimeClient.connect(joined.address().server(), o -> o.namespace(Classroom.LEARNERS)
                .auth(Map.of("code", joined.address().code(), "id", joined.id(), "name", joined.name()))
                .connectTimeout(WAIT).reconnectionDelay(Duration.ofMillis(500)).reconnectionDelayMax(Duration.ofSeconds(5)));
        client.onConnect(() -> {
            synchronized (lock) {
                lastError = null;
                lock.notifyAll();
            }
        });
        client.onConnectError(message -> {
            synchronized (lock) {
                if (!client.active()) {
                    refusal = message;   // a refusal stops the client; a failed attempt leaves it trying again
                } else {
                    lastError = message;
                }
                lock.notifyAll();
            }
        });
    }

    /** Starts connecting to the dashboard of {@code joined} in the background; returns at once. */
    public static ClassroomLink open(Joined joined) {
        return new ClassroomLink(joined);
    }

    /** The remembered join of the workbook at {@code root}, if any. */
    public static Optional<Joined> joined(Path root) {
        Path file = file(root);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new Joined(JoinAddress.parse(p.getProperty("address")), Roster.checkName(p.getProperty("name")),
                    p.getProperty("id", UUID.randomUUID().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is damaged (" + e.getMessage() + "); leave the classroom with"
                    + " --leave and join again", e);
        }
    }

    /**
     * The join of {@code name} to {@code address}, with the learner's id of an earlier join of this workbook (or a
     * new one); not remembered until {@link #remember} is called.
     *
     * @throws IllegalArgumentException when the name is empty, too long or holds control characters
     */
    public static Joined joinAs(Path root, JoinAddress address, String name) {
        String id = UUID.randomUUID().toString();
        try {
            id = joined(root).map(Joined::id).orElse(id);
        } catch (IllegalArgumentException damaged) {
            // a damaged file gets replaced by the next remember(); the learner gets a new id
            id = UUID.randomUUID().toString();
        }
        return new Joined(address, Roster.checkName(name), id);
    }

    /** Remembers a join for the workbook at {@code root}, in {@code .relaylab/}{@value #FILE}. */
    public static void remember(Path root, Joined joined) {
        Properties p = new Properties();
        p.setProperty("address", joined.address().toString());
        p.setProperty("name", joined.name());
        p.setProperty("id", joined.id());
        Path file = file(root);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(out, "the classroom dashboard this workbook sends grade results to; grade --leave forgets it");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the join of the workbook at {@code root}; returns false when there was none. */
    public static boolean forget(Path root) {
        try {
            return Files.deleteIfExists(file(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(root) + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path root) {
        return root.resolve(".relaylab").resolve(FILE);
    }

    /** The join this link sends for. */
    public Joined joined() {
        return joined;
    }

    /** Waits (at most {@link #WAIT}) until the dashboard accepts the join or refuses it. */
    public Outcome check() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Kind state = awaitConnection(deadline);
        return switch (state) {
            case SENT -> new Outcome(Kind.SENT, "Joined the classroom at " + joined.address().server() + " as "
                    + joined.name() + ": each grade result (lesson, tasks passed or failed, time) goes to its dashboard.");
            case REFUSED -> refused();
            default -> new Outcome(Kind.NOT_SENT, "The classroom dashboard at " + joined.address().server()
                    + " cannot be reached now" + because() + "; the join is kept and each grade tries again.");
        };
    }

    /**
     * Sends one result and waits (at most {@link #WAIT} in all) for the dashboard's answer.
     *
     * @return what happened, with the line to show; never throws for a dashboard that is down or slow
     */
    public Outcome send(GradeResult result) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Kind state = awaitConnection(deadline);
        if (state == Kind.REFUSED) {
            return refused();
        }
        if (state != Kind.SENT) {
            return notSent("the dashboard at " + joined.address().server() + " cannot be reached" + because());
        }
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(300));
        try {
            List<Object> reply = client.emitWithAck(Classroom.RESULT, Duration.ofNanos(left), result.sentNow())
                    .get(left + TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.NANOSECONDS);
            Object answer = reply.isEmpty() ? null : reply.get(0);
            if (answer instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("ok"))) {
                return new Outcome(Kind.SENT, "Result sent to the classroom dashboard at " + joined.address().server()
                        + " (as " + joined.name() + ").");
            }
            String error = answer instanceof Map<?, ?> map ? String.valueOf(map.get("error")) : String.valueOf(answer);
            return new Outcome(Kind.REJECTED, "Result not sent: the classroom dashboard refused it: " + error);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return notSent(cause instanceof TimeoutException ? "the dashboard did not answer within " + WAIT.toMillis() + " ms"
                    : "the connection to the dashboard failed (" + cause.getMessage() + ")");
        } catch (TimeoutException e) {
            return notSent("the dashboard did not answer within " + WAIT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notSent("interrupted while waiting for the dashboard");
        }
    }

    /** Waits up to {@code timeout} until the dashboard accepted or refused the join (tests on a busy machine). */
    Kind awaitSettled(Duration timeout) {
        return awaitConnection(System.nanoTime() + timeout.toNanos());
    }

    private Kind awaitConnection(long deadline) {
        synchronized (lock) {
            while (true) {
                if (refusal != null) {
                    return Kind.REFUSED;
                }
                if (client.connected()) {
                    return Kind.SENT;
                }
                if (lastError != null) {
                    return Kind.NOT_SENT;   // the last attempt failed (e.g. connection refused): no use waiting for the next
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Kind.NOT_SENT;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Kind.NOT_SENT;
                }
            }
        }
    }

    private String because() {
        synchronized (lock) {
            return lastError == null ? "" : " (" + lastError + ")";
        }
    }

    private Outcome refused() {
        synchronized (lock) {
            return new Outcome(Kind.REFUSED, "The classroom dashboard at " + joined.address().server() + " refused the join: "
                    + refusal);
        }
    }

    private Outcome notSent(String why) {
        return new Outcome(Kind.NOT_SENT, "Result not sent to the classroom (" + why + "); grading is not affected.");
    }

    /** Disconnects; nothing is sent afterwards. */
    @Override
    public void close() {
        client.disconnect();
    }
}
