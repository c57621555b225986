package relaylab.classroom;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;

/** The {@code classroom} command ({@code ./jbang classroom}): starts the dashboard and serves until Ctrl-C. */
@Command(name = "classroom", mixinStandardHelpOptions = true, version = "Relay Lab classroom 1.0",
        description = {"Starts the live classroom dashboard: learners who join send each grade result,",
            "and the page shows the room as a grid of learners and tasks."},
        footer = {"", "Learners join once with the address it prints:", "  ./jbang grade 05 --join http://HOST:4000/CODE"})
public final class ClassroomCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port to listen on (default ${DEFAULT-VALUE})")
    int port = Classroom.DEFAULT_PORT;

    @Option(names = "--host", description = "address to listen on: 0.0.0.0 for the whole LAN (default), 127.0.0.1 for this machine only")
    String host = "0.0.0.0";

    @Option(names = "--code", description = "a join code of your own (e.g. the one of a run you restart); random by default")
    String code;

    @Option(names = "--stuck", paramLabel = "MINUTES", description = "mark a learner stuck when the same task has failed for this many minutes (default ${DEFAULT-VALUE})")
    int stuckMinutes = 10;

    private final PrintStream out = System.out;

    /** Entry point of the classroom script. */
    public static void main(String[] args) {
        Logs.quietLibraries();
        CommandLine cli = new CommandLine(new ClassroomCommand());
        cli.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            commandLine.getErr().println("classroom: " + error.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (stuckMinutes < 1) {
            throw new IllegalArgumentException("--stuck must be at least 1 minute, not " + stuckMinutes);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 1 to 65535, not " + port);
        }
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss");
        Classroom room;
        try {
            room = Classroom.start(s -> {
                s.host(host).port(port).stuckAfter(Duration.ofMinutes(stuckMinutes))
                        .log(line -> out.println(LocalTime.now().format(time) + "  " + line));
                if (code != null) {
                    s.code(code);
                }
            });
        } catch (IllegalArgumentException e) {
            throw e;   // a bad --code: its message says what is allowed
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "; is another dashboard running? Or try --port " + (port + 1), e);
        }
        out.println("Relay Lab classroom dashboard: " + room.url());
        out.println("Join code: " + room.code());
        out.println("Learners run once:  ./jbang grade NN --join " + room.joinAddress());
        out.println("Only results are sent: lesson, task titles and ✔/✘, the first failing task and the time; no code, no files.");
        out.println("Ctrl-C stops (results live in memory only).");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            room.close();
            stop.countDown();
        }, "classroom-stop"));
        stop.await();
        return 0;
    }
}
