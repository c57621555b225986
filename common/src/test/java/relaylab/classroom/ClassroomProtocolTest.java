package relaylab.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static relaylab.classroom.Learners.WAIT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.classroom.ClassroomLink.Kind;
import relaylab.classroom.ClassroomLink.Outcome;
import relaylab.realtime.client.RealtimeClient;

/** The classroom's event protocol: a learner's grader (Java client) to the dashboard server, and the dashboard's view. */
class ClassroomProtocolTest {
    private final List<String> log = new ArrayList<>();
    private Classroom room;

    @BeforeEach
    void start() {
        room = Classroom.start(s -> s.host("127.0.0.1").port(0).log(line -> {
            synchronized (log) {
                log.add(line);
            }
        }));
    }

    @AfterEach
    void stop() {
        room.close();
    }

    @Test
    @DisplayName("a learner joins with the right code, sends a result, and the dashboard gets it with every task's status")
    void resultReachesDashboard() throws Exception {
        try (Learners.Watcher watcher = new Learners.Watcher(room);
             ClassroomLink ada = Learners.settled(Learners.learner(room, "Ada"))) {
            assertThat(watcher.snapshot()).as("the snapshot a page gets on connecting").asString().contains("learners=[]");
            assertThat(ada.check().kind()).as("the join with the right code").isEqualTo(Kind.SENT);
            Outcome sent = ada.send(Learners.result(5, "passed", "failed", "not checked"));
            assertThat(sent.kind()).as("what became of the result: " + sent.line()).isEqualTo(Kind.SENT);

            Map<?, ?> learner = watcher.nextWithLesson(5);
            assertThat(learner.get("name")).isEqualTo("Ada");
            Map<?, ?> lesson = (Map<?, ?>) ((List<?>) learner.get("lessons")).get(0);
            assertThat(lesson.get("firstFailing")).as("first failing task").isEqualTo(2);
            assertThat(((List<?>) lesson.get("tasks")).stream().map(t -> (Object) ((Map<?, ?>) t).get("status")).toList())
                    .containsExactly("passed", "failed", "not checked");
            assertThat(((Number) lesson.get("sentAt")).longValue()).as("when the learner sent it").isPositive();
            assertThat(room.learnerCount()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a wrong join code is refused with a reason (connect_error), and the learner is not in the room")
    void wrongCode() {
        String wrong = room.code().equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
        ClassroomLink.Joined joined = new ClassroomLink.Joined(new JoinAddress(room.joinAddress().server(), wrong), "Bob",
                UUID.randomUUID().toString());
        try (ClassroomLink bob = Learners.settled(joined)) {
            Outcome outcome = bob.check();
            assertThat(outcome.kind()).as(outcome.line()).isEqualTo(Kind.REFUSED);
            assertThat(outcome.line()).contains("wrong join code \"" + wrong + "\"");
            assertThat(bob.send(Learners.result(5, "passed")).kind()).as("a result sent after the refusal").isEqualTo(Kind.REFUSED);
        }
        assertThat(room.learnerCount()).isZero();
    }

    @Test
    @DisplayName("names that are empty, too long or hold control characters are refused at the join; HTML is kept as it is")
    void names() {
        for (String bad : List.of(" ", "x".repeat(Roster.MAX_NAME + 1), "bell\u0007")) {
            try (ClassroomLink link = Learners.settled(new ClassroomLink.Joined(room.joinAddress(), bad, UUID.randomUUID().toString()))) {
                assertThat(link.check().kind()).as("the join of the name \"" + bad + "\"").isEqualTo(Kind.REFUSED);
            }
        }
        try (ClassroomLink html = Learners.settled(Learners.learner(room, "<b>Eve</b>"))) {
            assertThat(html.check().kind()).isEqualTo(Kind.SENT);
        }
        assertThat(room.learnerCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("malformed results are refused with a reason in the ack; the connection, the room and earlier results stay")
    void malformedResults() throws Exception {
        try (Learners.Watcher watcher = new Learners.Watcher(room)) {
            RealtimeClient raw = RealtimeClient.connect(room.joinAddress().server(), o -> o.namespace(Classroom.LEARNERS)
                    .auth(Map.of("code", room.code(), "id", UUID.randomUUID().toString(), "name", "Raw")));
            try {
                raw.awaitConnected(WAIT);
                assertThat(ack(raw, Learners.result(3, "passed", "failed"))).containsEntry("ok", true);
                watcher.nextWithLesson(3);
                Map<String, Object> task = Map.of("number", 1, "title", "t", "status", "passed");
                List<Object[]> bad = List.of(
                        new Object[] {"just text", "a result must be a JSON object"},
                        new Object[] {Map.of("lesson", 0, "tasks", List.of(task)), "lesson must be a whole number from 1 to 99"},
                        new Object[] {Map.of("lesson", "05", "tasks", List.of(task)), "lesson must be a whole number"},
                        new Object[] {Map.of("lesson", 5), "tasks must be a list"},
                        new Object[] {Map.of("lesson", 5, "tasks", List.of(Map.of("number", 1, "status", "maybe"))),
                            "tasks[0].status must be one of"},
                        new Object[] {Map.of("lesson", 5, "tasks", List.of(task, task)), "tasks[1].number 1 appears twice"},
                        new Object[] {Map.of("lesson", 5, "tasks", List.of(task), "firstFailing", 4), "firstFailing is task 4"},
                        new Object[] {Map.of("lesson", 5, "tasks", List.of(Map.of("number", 1, "status", "passed", "title", "x".repeat(500)))),
                            "tasks[0].title must be a text of at most 200"});
                for (Object[] b : bad) {
                    Map<String, Object> answer = ack(raw, b[0]);
                    assertThat(answer).as("the ack for " + b[0]).containsEntry("ok", false);
                    assertThat((String) answer.get("error")).as("the reason given for " + b[0]).contains((String) b[1]);
                }
                assertThat(raw.connected()).as("the learner is still connected after the refusals").isTrue();
                synchronized (log) {
                    assertThat(log).as("the dashboard's log").filteredOn(l -> l.startsWith("refused a result from Raw"))
                            .hasSize(bad.size());
                }
                assertThat(watcher.learners).as("learner events after the refused results").isEmpty();
                Roster.LearnerView kept = room.learnerViews().get(0);
                assertThat(kept.lessons()).as("the room still holds the earlier result").hasSize(1);
                assertThat(kept.lessons().get(0).lesson()).isEqualTo(3);
                assertThat(ack(raw, Learners.result(4, "passed"))).as("a good result after the bad ones").containsEntry("ok", true);
                assertThat(watcher.nextWithLesson(4).get("lessons")).asList().hasSize(2);
            } finally {
                raw.disconnect();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ack(RealtimeClient client, Object payload) throws Exception {
        List<Object> reply = client.emitWithAck(Classroom.RESULT, WAIT, payload).get(WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return (Map<String, Object>) reply.get(0);
    }

    @Test
    @DisplayName("a learner is stuck from the first result failing a task until that task passes; a new first failing task starts again")
    void stuckSince() {
        AtomicLong now = new AtomicLong(1_000_000);
        Roster roster = new Roster(now::get);
        roster.join("learner-1", "Ada");
        roster.record("learner-1", Learners.result(5, "passed", "failed", "failed"));
        now.addAndGet(Duration.ofMinutes(7).toMillis());
        Roster.LessonView again = roster.record("learner-1", Learners.result(5, "passed", "failed", "passed")).lessons().get(0);
        assertThat(again.failingSince()).as("failing since, after a second result failing task 2").isEqualTo(1_000_000);
        now.addAndGet(Duration.ofMinutes(1).toMillis());
        Roster.LessonView moved = roster.record("learner-1", Learners.result(5, "passed", "passed", "failed")).lessons().get(0);
        assertThat(moved.firstFailing()).isEqualTo(3);
        assertThat(moved.failingSince()).as("failing since, once task 3 is the first failing").isEqualTo(now.get());
        Roster.LessonView done = roster.record("learner-1", Learners.result(5, "passed", "passed", "passed")).lessons().get(0);
        assertThat(done.failingSince()).as("failing since, when all pass").isNull();
    }

    @Test
    @DisplayName("a lesson that does not compile is sent without task results; one that compiles needs at least one")
    void notCompiling() {
        GradeResult broken = GradeResult.fromEvent(Map.of("lesson", 5, "tasks", List.of(), "compiled", false));
        assertThat(broken.compiled()).isFalse();
        assertThat(broken.tasks()).isEmpty();
        assertThatThrownBy(() -> GradeResult.fromEvent(Map.of("lesson", 5, "tasks", List.of())))
                .hasMessageContaining("tasks must be a list of 1 to 20 tasks");
        assertThatThrownBy(() -> GradeResult.fromEvent(Map.of("lesson", 5, "tasks", List.of(), "compiled", "no")))
                .hasMessageContaining("compiled must be true or false");
    }

    @Test
    @DisplayName("join addresses: http://HOST:PORT/CODE is read, codes avoid look-alike characters, bad addresses say what is expected")
    void joinAddresses() {
        JoinAddress address = JoinAddress.parse(" http://192.168.1.20:4000/k7qh2m/ ");
        assertThat(address.server()).isEqualTo("http://192.168.1.20:4000");
        assertThat(address.code()).isEqualTo("K7QH2M");
        assertThat(address.toString()).isEqualTo("http://192.168.1.20:4000/K7QH2M");
        for (int i = 0; i < 200; i++) {
            assertThat(JoinAddress.newCode()).hasSize(JoinAddress.LENGTH).doesNotContainPattern("[01OIL]");
        }
        assertThatThrownBy(() -> JoinAddress.parse("192.168.1.20:4000/K7QH2M")).hasMessageContaining("not an http:// address");
        assertThatThrownBy(() -> JoinAddress.parse("http://192.168.1.20:4000/")).hasMessageContaining("no join code");
        assertThatThrownBy(() -> JoinAddress.parse("http://192.168.1.20:4000/K0QH1M")).hasMessageContaining("no 0, O, 1, I or L");
    }
}
