package relaylab.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static relaylab.classroom.Learners.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.classroom.ClassroomLink.Kind;
import relaylab.classroom.GradeResult.TaskOutcome;
import relaylab.grader.Workbook;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;
import relaylab.testing.SharedBrowser;

/** The dashboard page in headless Chromium, fed by simulated learners over the Java client. */
class ClassroomPageTest {
    @RegisterExtension
    static final SharedBrowser BROWSER = new SharedBrowser();

    static final String HTML_NAME = "<img src=x onerror=pwned=1><b>Eve</b>";

    private final AtomicLong shift = new AtomicLong();
    private final List<ClassroomLink> links = new ArrayList<>();
    private Classroom room;

    @BeforeEach
    void start() {
        room = Classroom.start(s -> s.host("127.0.0.1").port(0).clock(() -> System.currentTimeMillis() + shift.get()));
    }

    @AfterEach
    void stop() {
        links.forEach(ClassroomLink::close);
        room.close();
    }

    private ClassroomLink join(String name) {
        ClassroomLink link = Learners.settled(Learners.learner(room, name));
        links.add(link);
        return link;
    }

    private static void send(ClassroomLink link, GradeResult result) {
        ClassroomLink.Outcome outcome = link.send(result);
        assertThat(outcome.kind()).as("result of " + link.joined().name() + ": " + outcome.line()).isEqualTo(Kind.SENT);
    }

    /** Lesson 05 with four tasks, the first {@code done} passed, the others failed. */
    private static GradeResult doneUpTo(int done) {
        String[] statuses = new String[4];
        for (int t = 0; t < 4; t++) {
            statuses[t] = t < done ? GradeResult.PASSED : GradeResult.FAILED;
        }
        return Learners.result(5, statuses);
    }

    private BrowserPage openDashboard() {
        BrowserPage page = BROWSER.open(room.url());
        page.awaitText("#status", "live", WAIT);
        return page;
    }

    private static String cell(BrowserPage page, String learnerId, int task) {
        return (String) page.script("const c = document.querySelector('section[data-lesson=\"5\"] tr[data-learner=\"' + arguments[0]"
                + " + '\"] td[data-task=\"' + arguments[1] + '\"]'); return c ? c.textContent : null;", learnerId, task);
    }

    @Test
    @DisplayName("30 learners: the grid shows each with ✔ ✘ per task and the share past each task; a new result shows up; an HTML name is only text")
    void thirtyLearners() {
        BrowserPage page = openDashboard();
        int[] done = new int[30];
        for (int i = 0; i < 30; i++) {
            done[i] = i % 5;
            ClassroomLink link = join(i == 7 ? HTML_NAME : String.format("Learner %02d", i));
            send(link, doneUpTo(done[i]));
        }
        page.awaitScript("document.querySelectorAll('section[data-lesson=\"5\"] tbody tr').length === 30",
                "30 learner rows in lesson 05's grid", WAIT);
        assertThat(page.text("#summary")).contains("30 learners in the room");

        for (int t = 1; t <= 4; t++) {
            int task = t;
            long past = java.util.Arrays.stream(done).filter(d -> d >= task).count();
            String share = (String) page.script("return document.querySelector('section[data-lesson=\"5\"] tfoot td[data-task=\"'"
                    + " + arguments[0] + '\"]').textContent;", t);
            assertThat(share).as("the share of the room past task " + t).isEqualTo(Math.round(100.0 * past / 30) + "% (" + past + "/30)");
        }
        String third = links.get(3).joined().id();
        assertThat(List.of(cell(page, third, 1), cell(page, third, 2), cell(page, third, 3), cell(page, third, 4)))
                .as("Learner 03's row (tasks 1-3 passed, 4 failed)").containsExactly("✔", "✔", "✔", "✘");

        String eve = links.get(7).joined().id();
        Object shownName = page.script("return document.querySelector('tr[data-learner=\"' + arguments[0] + '\"] td.name').textContent;", eve);
        assertThat(shownName).as("the HTML name as the page shows it").isEqualTo(HTML_NAME);
        assertThat(page.count("#lessons img, #lessons b")).as("elements made from the HTML name").isZero();
        assertThat(page.script("return window.pwned === undefined;")).as("the name's onerror did not run").isEqualTo(true);

        long sent = System.nanoTime();
        send(links.get(3), doneUpTo(4));
        page.awaitScript("document.querySelector('section[data-lesson=\"5\"] tr[data-learner=\"" + third + "\"] td[data-task=\"4\"]')"
                + ".textContent === '✔'", "Learner 03's task 4 to turn ✔", WAIT);
        System.out.printf("a new result showed on the page %d ms after it was sent (load average %s)%n",
                (System.nanoTime() - sent) / 1_000_000, loadAverage());
    }

    @Test
    @DisplayName("a learner whose first failing task stays the same for longer than --stuck is highlighted; others are not")
    void stuck() {
        BrowserPage page = openDashboard();
        String[] names = {"Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Alan"};
        int[] done = {4, 1, 1, 2, 3, 4, 0, 2, 3};
        for (int i = 0; i < names.length; i++) {
            ClassroomLink link = join(names[i]);
            if (names[i].equals("Grace")) {
                shift.set(-Duration.ofMinutes(23).toMillis());   // Grace's task 2 has failed since 23 minutes ago
                send(link, lesson(5, "First chat, twice", done[i]));
                shift.set(0);
            }
            send(link, lesson(5, "First chat, twice", done[i]));
            if (i % 3 == 0) {
                send(link, lesson(6, "Broadcast and chat workers", 2 + i % 2));
            }
        }
        page.awaitScript("document.querySelectorAll('section[data-lesson=\"5\"] tbody tr').length === " + names.length
                + " && document.querySelectorAll('section[data-lesson=\"6\"] tbody tr').length === 3",
                "every learner in the grids of lessons 05 and 06", WAIT);
        page.awaitScript("document.querySelectorAll('tr.stuck').length === 1", "one stuck row", WAIT);
        String grace = links.get(1).joined().id();
        assertThat(page.script("return document.querySelector('tr.stuck').dataset.learner;")).as("the stuck learner").isEqualTo(grace);
        assertThat(page.text("tr.stuck td.note")).isEqualTo("stuck on task 2 for 23 min");
        assertThat(page.script("return document.querySelector('tr.stuck td.stuck').dataset.task;")).as("the stuck task's cell").isEqualTo("2");
        assertThat(page.text("#summary")).contains("1 stuck");
        if (Screenshots.enabled()) {
            Path file = Workbook.locate().root().resolve("docs").resolve("classroom.png");
            page.screenshot(file);
            System.out.println("saved the dashboard to " + file);
        }
    }

    /** Lesson {@code number} with five tasks, the first {@code done} passed, the next failed, the rest not checked or failed. */
    private static GradeResult lesson(int number, String title, int done) {
        List<TaskOutcome> tasks = new ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            String status = t <= done ? GradeResult.PASSED : t == 5 && number == 5 ? GradeResult.NOT_CHECKED : GradeResult.FAILED;
            tasks.add(new TaskOutcome(t, "Task " + t, status));
        }
        Integer first = tasks.stream().filter(t -> t.status().equals(GradeResult.FAILED)).map(TaskOutcome::number).findFirst().orElse(null);
        return new GradeResult(number, title, tasks, first, true, 2.1, 0);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
