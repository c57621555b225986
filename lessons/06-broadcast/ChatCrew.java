import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import relaylab.realtime.Logs;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.TodoRecorder;
import relaylab.realtime.client.RealtimeClient;
import relaylab.workbook.Exercise;

/**
 * Lesson 06's command line (BroadcastChat.main runs it) and the demo of {@code ./jbang lesson06 --workers N}: a crew
 * of chat workers, each talking in its own thread, and a summary of what each one heard. Nothing to write here; the
 * tasks are in BroadcastChat.java, ChatWorker.java and index.html.
 */
final class ChatCrew {
    private ChatCrew() {
    }

    static void main(String[] args) {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; the lesson prints its own lines
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "lesson06", mixinStandardHelpOptions = true, version = "Relay Lab lesson 06",
            description = "Starts the lesson 06 chat server, and with --workers N also N simulated users that chat.")
    static final class Main implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "3000", description = "The port to serve on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;

        @Option(names = "--workers", defaultValue = "0", description = "How many chat workers to start (default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--messages", defaultValue = "5", description = "How many messages each worker sends (default: ${DEFAULT-VALUE}).")
        int messages;

        @Override
        public Integer call() {
            if (workers < 0 || messages < 0) {
                System.err.printf("--workers and --messages take 0 or more (got %d and %d), e.g. --workers 5%n", workers, messages);
                return 2;
            }
            Exercise.run(BroadcastChat.class, () -> {
                RealtimeServer server = RealtimeServer.create(BroadcastChat::configure);
                BroadcastChat.setup(server);
                server.start(port);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.stop();
                    System.out.println("Chat server stopped.");
                }));
                String url = "http://localhost:" + server.port();
                System.out.println("Chat server at " + url + " — open it in a browser tab or two.");
                if (workers > 0) {
                    run(url, workers, messages, BroadcastChat.UNFINISHED);
                } else {
                    System.out.println("Nothing happens until someone connects: open the page, or start simulated users"
                            + " with --workers 3. Until tasks 1 and 2 are done, the first visitor stops the server with"
                            + " the TODO to write.");
                }
                System.out.println("The server keeps running. Ctrl-C stops.");
                throw BroadcastChat.UNFINISHED.await();
            });
            return 0;
        }
    }

    /**
     * Checks the server with a first visitor (an unfinished TODO it runs into stops the demo here), then runs
     * {@code workers} chat workers against the server at {@code url}, each talking in its own thread, and prints
     * what each one heard: the others' messages, and none of its own.
     */
    static void run(String url, int workers, int messages, TodoRecorder unfinished) throws Exception {
        try (RealtimeClient firstVisitor = RealtimeClient.connect(url)) {
            firstVisitor.awaitConnected(Duration.ofSeconds(5)); // the server welcomes it: task 1 comes first
        }
        unfinished.throwIfAny();
        System.out.printf("Starting %d chat workers, %d messages each, one every 0.5–2.5 s.%n", workers, messages);
        List<ChatWorker> crew = new ArrayList<>();
        Random seeds = new Random();
        for (int i = 1; i <= workers; i++) {
            crew.add(new ChatWorker("worker-" + i, url, messages, Duration.ofMillis(500), Duration.ofMillis(2500),
                    new Random(seeds.nextLong()), System.out::println));
        }
        for (ChatWorker worker : crew) {
            worker.awaitConnected(Duration.ofSeconds(5));
        }
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> talks = new ArrayList<>();
            for (ChatWorker worker : crew) {
                talks.add(threads.submit(() -> {
                    worker.talk();
                    return null;
                }));
            }
            for (Future<?> talk : talks) {
                try {
                    talk.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        int fromOthers = (workers - 1) * messages;
        boolean allHeard = true;
        for (ChatWorker worker : crew) {
            allHeard &= worker.awaitHeard(fromOthers, Duration.ofSeconds(5));
        }
        crew.forEach(ChatWorker::close); // no worker logs any more: the summary is not cut by a late line
        // one print for the whole table, so no other thread's line can land inside it
        StringBuilder table = new StringBuilder("\nworker     sent  heard from others  own messages heard\n");
        for (ChatWorker worker : crew) {
            allHeard &= worker.heard().size() == fromOthers && worker.ownEchoes() == 0;
            table.append(String.format("%-9s %5d %18d %19d%n", worker.name(), worker.sent().size(), worker.heard().size(),
                    worker.ownEchoes()));
        }
        System.out.print(table);
        System.out.println(allHeard
                ? "Each worker heard every message of the others once, and none of its own: that is a broadcast."
                : "Some worker did not hear exactly the others' " + fromOthers + " messages: see the table.");
    }
}
