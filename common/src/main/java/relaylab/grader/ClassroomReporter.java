package relaylab.grader;

import java.io.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import relaylab.classroom.ClassroomLink;
import relaylab.classroom.ClassroomLink.Joined;
import relaylab.classroom.ClassroomLink.Kind;
import relaylab.classroom.ClassroomLink.Outcome;
import relaylab.classroom.GradeResult;
import relaylab.classroom.JoinAddress;
import relaylab.workbook.Commands;

/**
 * The grader's side of the classroom dashboard: {@code --join URL}, {@code --leave}, {@code --name}, and after
 * each grade of a whole exercise, the result sent to the joined dashboard with one line saying what became of
 * it. The dashboard never changes the grade or the exit status.
 */
final class ClassroomReporter implements AutoCloseable {
    private final Path root;
    private final relaylab.grader.Console console;
    private final Commands commands;
    // the link to the joined dashboard, opened on another thread so that loading the client costs grading nothing
    private CompletableFuture<ClassroomLink> link;

    private ClassroomReporter(Path root, relaylab.grader.Console console, Commands commands) {
        this.root = root;
        this.console = console;
        this.commands = commands;
    }

    /**
     * Applies {@code --leave}, {@code --join} and {@code --name}, then starts connecting to the joined dashboard
     * (in the background, while the lesson is graded).
     *
     * @param alone true when no lesson is graded: a refused join is then the command's failure (exit 2)
     * @param sends true when this command grades a whole exercise (so a remembered join is connected)
     * @throws GradeException for a bad address or name, a refused join when {@code alone}, or options that do not go together
     */
    static ClassroomReporter start(Workbook workbook, relaylab.grader.Console console, Commands commands, String join,
            boolean leave, String name, boolean alone, boolean sends) {
        ClassroomReporter reporter = new ClassroomReporter(workbook.root(), console, commands);
        if (leave && (join != null || name != null)) {
            throw new GradeException("--leave cannot be combined with --join or --name");
        }
        if (leave) {
            Optional<Joined> was = reporter.remembered();
            ClassroomLink.forget(workbook.root());
            console.out().println(was.map(j -> "Left the classroom at " + j.address().server() + ": grade results are no longer sent.")
                    .orElse("You had not joined a classroom; nothing is sent."));
            return reporter;
        }
        Joined joined;
        if (join != null) {
            JoinAddress address;
            try {
                address = JoinAddress.parse(join);
            } catch (IllegalArgumentException e) {
                throw new GradeException("--join: " + e.getMessage());
            }
            joined = reporter.joinAs(address, name != null ? name : reporter.remembered().map(Joined::name).orElseGet(ClassroomReporter::askName));
            reporter.link = CompletableFuture.completedFuture(ClassroomLink.open(joined));
            Outcome outcome = reporter.link.join().check();
            if (outcome.kind() == Kind.REFUSED) {
                reporter.close();
                if (alone) {
                    throw new GradeException(outcome.line() + " (not joined)");
                }
                console.out().println(console.yellow(outcome.line() + " (not joined; grading goes on)"));
                return reporter;
            }
            ClassroomLink.remember(workbook.root(), joined);
            console.out().println(outcome.kind() == Kind.SENT ? console.green(outcome.line()) : console.yellow(outcome.line()));
            return reporter;
        }
        Optional<Joined> remembered = reporter.remembered();
        if (name != null) {
            if (remembered.isEmpty()) {
                throw new GradeException("--name goes with --join: " + commands.grade("05 --join http://HOST:4000/CODE --name \"" + name + "\""));
            }
            joined = reporter.joinAs(remembered.get().address(), name);
            ClassroomLink.remember(workbook.root(), joined);
            console.out().println("Your name on the classroom dashboard is now " + joined.name() + ".");
            remembered = Optional.of(joined);
        }
        if (sends) {
            remembered.ifPresent(j -> reporter.link = CompletableFuture.supplyAsync(() -> ClassroomLink.open(j)));
        }
        return reporter;
    }

    /**
     * Sends a grade of a whole exercise to the joined dashboard, if any, and prints one line: sent, or why not.
     * Waits at most {@link ClassroomLink#WAIT}; a refused join is shown once and forgotten.
     */
    void send(GradeReport report, double seconds) {
        if (link == null) {
            return;
        }
        Outcome outcome;
        try {
            outcome = link.join().send(result(report, seconds));
        } catch (CompletionException e) {
            link = null;
            console.out().println(console.yellow("Result not sent to the classroom (its client did not start: " + e.getCause()
                    + "); grading is not affected."));
            return;
        }
        switch (outcome.kind()) {
            case SENT -> console.out().println(console.dim(outcome.line()));
            case REFUSED -> {
                close();
                ClassroomLink.forget(root);
                console.out().println(console.yellow(outcome.line() + ". You left that classroom; join again with the address"
                        + " the dashboard shows: " + commands.grade(String.format("%02d", report.lesson().number())
                        + " --join http://HOST:PORT/CODE")));
            }
            default -> console.out().println(console.yellow(outcome.line()));
        }
    }

    /** What is sent: lesson number and title, each task's number, title and status, the first failing task, the time. */
    static GradeResult result(GradeReport report, double seconds) {
        List<GradeResult.TaskOutcome> tasks = report.compileError() != null ? List.of() : report.tasks().stream()
                .map(t -> new GradeResult.TaskOutcome(t.number(), t.title(), status(report, t))).toList();
        Integer first = report.compileError() != null ? null : report.next();
        return new GradeResult(report.lesson().number(), report.title(), tasks, first, report.compileError() == null,
                Math.round(seconds * 10) / 10.0, 0);
    }

    private static String status(GradeReport report, GradeReport.TaskResult task) {
        if (report.todosLeft().contains(task.number())) {
            return GradeResult.FAILED;
        }
        return switch (task.status()) {
            case PASSED -> GradeResult.PASSED;
            case NOT_CHECKED, SKIPPED -> GradeResult.NOT_CHECKED;
            default -> GradeResult.FAILED;
        };
    }

    private Optional<Joined> remembered() {
        try {
            return ClassroomLink.joined(root);
        } catch (RuntimeException e) {
            console.out().println(console.yellow("Classroom: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private Joined joinAs(JoinAddress address, String name) {
        try {
            return ClassroomLink.joinAs(root, address, name);
        } catch (IllegalArgumentException e) {
            throw new GradeException("--name: " + e.getMessage());
        }
    }

    /** Asks for a name once, on a terminal; else (or when left empty) the user name of the system. */
    private static String askName() {
        String user = System.getProperty("user.name", "learner");
        Console terminal = System.console();
        if (terminal == null) {
            return user;
        }
        String typed = terminal.readLine("Your name on the classroom dashboard [%s]: ", user);
        return typed == null || typed.isBlank() ? user : typed.strip();
    }

    @Override
    public void close() {
        if (link != null) {
            link.thenAccept(ClassroomLink::close);   // a link that failed to open has nothing to close
            link = null;
        }
    }
}
