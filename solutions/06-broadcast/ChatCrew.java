import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import relaylab.realtime.TodoRecorder;
import relaylab.realtime.client.RealtimeClient;

/**
 * The demo of {@code ./jbang lesson06 --workers N}: a crew of chat workers, each talking in its own thread, and a
 * summary of what each one heard. Nothing to write here; the tasks are in ChatWorker.java.
 */
final class ChatCrew {
    private ChatCrew() {
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
        System.out.println();
        System.out.println("worker     sent  heard from others  own messages heard");
        for (ChatWorker worker : crew) {
            allHeard &= worker.heard().size() == fromOthers && worker.ownEchoes() == 0;
            System.out.printf("%-9s %5d %18d %19d%n", worker.name(), worker.sent().size(), worker.heard().size(),
                    worker.ownEchoes());
        }
        crew.forEach(ChatWorker::close);
        System.out.println(allHeard
                ? "Each worker heard every message of the others once, and none of its own: that is a broadcast."
                : "Some worker did not hear exactly the others' " + fromOthers + " messages: see the table.");
    }
}
