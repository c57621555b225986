package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.classroom.Classroom;
import relaylab.classroom.ClassroomLink;
import relaylab.classroom.JoinAddress;
import relaylab.realtime.client.RealtimeClient;

/** The grader's side of the classroom dashboard: grade NN --join, --leave, and a dashboard that is down or refuses. */
class ClassroomJoinTest {
    /** How long the test waits for its own dashboard client and for results: generous, for a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String MAIN = """
            import relaylab.workbook.Lesson;
            import relaylab.workbook.Task;

            @Lesson(number = 1, title = "Pair", summary = "Two small tasks.")
            public class Pair {
                @Task(number = 1, title = "First", hint = "Return 1.")
                static int first() {
                    BODY
                }

                @Task(number = 2, title = "Second", hint = "Return 2.")
                static int second() {
                    return 2;
                }
            }
            """;

    private static final String TEST = """
            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            class PairTest {
                @Test
                @Tag("task:1")
                @DisplayName("first() is 1")
                void first() {
                    assertThat(Pair.first()).isEqualTo(1);
                }

                @Test
                @Tag("task:2")
                @DisplayName("second() is 2")
                void second() {
                    assertThat(Pair.second()).isEqualTo(2);
                }
            }
            """;

    @TempDir
    Path root;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private String previousRoot;
    private Classroom room;

    @BeforeEach
    void workbook() throws IOException {
        for (String folder : List.of("lessons", "solutions")) {
            Files.createDirectories(root.resolve(folder + "/01-pair"));
        }
        Files.writeString(root.resolve("jbang-catalog.json"), "{\"aliases\": {}}");
        Files.writeString(root.resolve("lessons/01-pair/PairTest.java"), TEST);
        Files.writeString(root.resolve("lessons/01-pair/Pair.java"), MAIN.replace("BODY",
                "// TODO 1: return 1 (task 1)\n throw new UnsupportedOperationException(\"TODO 1: first\");"));
        Files.writeString(root.resolve("solutions/01-pair/Pair.java"), MAIN.replace("BODY", "return 1;"));
        previousRoot = System.getProperty("relaylab.root");
        System.setProperty("relaylab.root", root.toString());
        room = Classroom.start(s -> s.host("127.0.0.1").port(0));
    }

    @AfterEach
    void restore() {
        room.close();
        if (previousRoot == null) {
            System.clearProperty("relaylab.root");
        } else {
            System.setProperty("relaylab.root", previousRoot);
        }
    }

    private int grade(String... args) {
        printed.reset();
        return GradeCommand.run(new Console(new PrintStream(printed, true, StandardCharsets.UTF_8), false), args);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private List<String> classroomLines() {
        return printed().lines().filter(l -> l.toLowerCase().contains("classroom")).toList();
    }

    @Test
    @DisplayName("grade 01 --join URL joins once; every later grade sends lesson, task statuses and the first failing task; --leave stops it")
    void joinSendLeave() throws Exception {
        BlockingQueue<Map<?, ?>> seen = new LinkedBlockingQueue<>();
        RealtimeClient page = RealtimeClient.connect(room.joinAddress().server(), o -> o.namespace(Classroom.DASHBOARD));
        page.on(Classroom.LEARNER, args -> seen.add((Map<?, ?>) args.get(0)));
        try {
            page.awaitConnected(WAIT);
            assertThat(grade("01", "--join", room.joinAddress().toString(), "--name", "Ada")).as("exit status of a lesson with task 1 to do")
                    .isEqualTo(1);
            assertThat(printed()).contains("Joined the classroom at " + room.joinAddress().server() + " as Ada")
                    .contains("Result sent to the classroom dashboard");
            assertThat(root.resolve(".relaylab/" + ClassroomLink.FILE)).as("the remembered join").exists();
            Map<?, ?> lesson = awaitLesson(seen, l -> true);
            assertThat(lesson.get("title")).isEqualTo("Pair");
            assertThat(lesson.get("firstFailing")).as("first failing task sent").isEqualTo(1);
            assertThat(statuses(lesson)).containsExactly("failed", "passed");
            assertThat(lesson.toString()).as("what was sent: no code, no file names").doesNotContain("Pair.java", "TODO", "UnsupportedOperation");

            Files.writeString(root.resolve("lessons/01-pair/Pair.java"), MAIN.replace("BODY", "return 1;"));
            assertThat(grade("01")).as("exit status once both tasks pass").isZero();
            assertThat(classroomLines()).as("lines about the classroom").hasSize(1).allMatch(l -> l.startsWith("Result sent"));
            assertThat(statuses(awaitLesson(seen, l -> !statuses(l).contains("failed")))).containsExactly("passed", "passed");
            assertThat(room.learnerCount()).as("one learner, however often they grade").isEqualTo(1);

            assertThat(grade("--leave")).isZero();
            assertThat(printed()).contains("Left the classroom");
            assertThat(grade("01")).isZero();
            assertThat(classroomLines()).as("lines about the classroom after --leave").isEmpty();
            assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).as("results sent after --leave").isNull();
        } finally {
            page.disconnect();
        }
    }

    @Test
    @DisplayName("with the dashboard down, grading works as before: same exit status, and one line says the result was not sent")
    void dashboardDown() {
        JoinAddress address = room.joinAddress();
        room.close();
        ClassroomLink.remember(root, new ClassroomLink.Joined(address, "Ada", UUID.randomUUID().toString()));
        long started = System.nanoTime();
        int status = grade("01");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(status).as("exit status of a lesson with task 1 to do, dashboard down").isEqualTo(1);
        assertThat(printed()).contains("1 of 2 tasks pass");
        assertThat(classroomLines()).as("lines about the classroom").hasSize(1)
                .allMatch(l -> l.startsWith("Result not sent to the classroom") && l.contains("grading is not affected"));
        System.out.println("grade 01 with the dashboard down took " + millis + " ms (the send waits at most "
                + ClassroomLink.WAIT.toMillis() + " ms)");
        assertThat(root.resolve(".relaylab/" + ClassroomLink.FILE)).as("the join is kept for when the dashboard is back").exists();
    }

    @Test
    @DisplayName("a wrong join code is refused once with the dashboard's reason, and is not remembered")
    void wrongCode() {
        String wrong = room.code().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        String address = room.joinAddress().server() + "/" + wrong;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        int alone;
        try {
            alone = grade("--join", address);
        } finally {
            System.setErr(before);
        }
        assertThat(alone).as("exit status of grade --join with a wrong code").isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("refused the join: wrong join code \"" + wrong + "\"");

        assertThat(grade("01", "--join", address)).as("exit status of grade 01 --join with a wrong code").isEqualTo(1);
        assertThat(classroomLines()).as("lines about the classroom").hasSize(1)
                .allMatch(l -> l.contains("wrong join code") && l.contains("grading goes on"));
        assertThat(root.resolve(".relaylab/" + ClassroomLink.FILE)).as("a refused join").doesNotExist();
        assertThat(room.learnerCount()).isZero();
    }

    @Test
    @DisplayName("a join the dashboard no longer accepts (restarted with a new code) is refused once, then forgotten")
    void restartedWithNewCode() {
        String old = room.code().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        ClassroomLink.remember(root, new ClassroomLink.Joined(new JoinAddress(room.joinAddress().server(), old), "Ada",
                UUID.randomUUID().toString()));
        assertThat(grade("01")).as("exit status of a lesson with task 1 to do").isEqualTo(1);
        assertThat(classroomLines()).as("lines about the classroom").hasSize(1)
                .allMatch(l -> l.contains("refused the join: wrong join code \"" + old + "\"") && l.contains("You left that classroom"));
        assertThat(root.resolve(".relaylab/" + ClassroomLink.FILE)).as("the refused join").doesNotExist();
        assertThat(grade("01")).isEqualTo(1);
        assertThat(classroomLines()).as("lines about the classroom at the next grade").isEmpty();
    }

    /** The first result of lesson 01 the page is sent that matches {@code wanted} (a join resends earlier results). */
    private static Map<?, ?> awaitLesson(BlockingQueue<Map<?, ?>> seen, Predicate<Map<?, ?>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Object> received = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Map<?, ?> learner = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (learner == null) {
                break;
            }
            received.add(learner);
            Map<?, ?> lesson = ((List<?>) learner.get("lessons")).stream().map(l -> (Map<?, ?>) l)
                    .filter(l -> l.get("lesson").equals(1)).findFirst().orElse(null);
            if (lesson != null && wanted.test(lesson)) {
                return lesson;
            }
        }
        throw new AssertionError("the dashboard got no such result of lesson 01 within " + WAIT.toMillis() + " ms; it got " + received);
    }

    private static List<Object> statuses(Map<?, ?> lesson) {
        return ((List<?>) lesson.get("tasks")).stream().map(t -> (Object) ((Map<?, ?>) t).get("status")).toList();
    }
}
