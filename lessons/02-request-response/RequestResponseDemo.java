import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.httpchat.ChatClient;
import relaylab.httpchat.ChatMessage;
import relaylab.httpchat.ChatServer;
import relaylab.workbook.Exercise;

/**
 * What lesson 02's main shows: Alice and Bob chat over HTTP, first reading by short polling, then by
 * long polling, and each run prints what it cost (requests, empty answers, how stale each message
 * was on arrival). Nothing to write here; RequestResponse.main runs it.
 */
final class RequestResponseDemo {
    /** One message per slot of this length, at a random moment inside the slot. */
    static final Duration PACE = Duration.ofMillis(700);

    private RequestResponseDemo() {
    }

    @Command(name = "lesson02", mixinStandardHelpOptions = true, version = "Relay Lab lesson 02",
            description = "Alice and Bob chat over HTTP, first with short polling, then with long polling.")
    static class Options implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "5", description = "How long each style runs (default ${DEFAULT-VALUE}).")
        int seconds;
        @Option(names = "--interval", defaultValue = "500", description = "Short polling: ms between requests (default ${DEFAULT-VALUE}).")
        int interval;
        @Option(names = "--wait", defaultValue = "3000", description = "Long polling: ms the server may hold a request (default ${DEFAULT-VALUE}).")
        int waitMillis;
        @Option(names = "--port", defaultValue = "0", description = "Port of the chat server; 0 picks a free one (default ${DEFAULT-VALUE}).")
        int port;
        @Spec
        CommandSpec spec;

        /** Checks the ranges picocli cannot, then runs the demo; a bad value exits with status 2. */
        @Override
        public Integer call() {
            if (seconds < 1 || interval < 1 || waitMillis < 1 || waitMillis > 60_000 || port < 0 || port > 65_535) {
                throw new ParameterException(spec.commandLine(), "need --seconds 1 or more, --interval 1 or more,"
                        + " --wait from 1 to 60000 and --port from 0 to 65535 (0 picks a free port)");
            }
            Exercise.run(RequestResponse.class, () -> {
                System.out.printf("Alice and Bob take turns: one message in every %d ms, at a random moment in it, for %d s;"
                        + " each polls for the other's.%n", PACE.toMillis(), seconds);
                warmUp();
                chat(true, this);
                chat(false, this);
                System.out.println("\nEvery message above reached its reader as the answer to a request the reader made:"
                        + "\nthe server never spoke first. See the README for what that means (one-way, half-duplex, full-duplex).");
            });
            return 0;
        }
    }

    /**
     * A few requests on a throwaway server before measuring: the first requests of a JVM load classes
     * and set up the HTTP client, and would make the first messages look staler than polling makes them.
     */
    static void warmUp() throws Exception {
        try (ChatServer server = ChatServer.start(new Board(), 0)) {
            ChatClient client = new ChatClient(server.url());
            for (int i = 0; i < 50; i++) {
                client.post("warm-up", "message " + i);
                client.fetch(i);
            }
        }
    }

    /** One run of the chat with one polling style; prints what the two users' polling cost. */
    static void chat(boolean shortPolling, Options options) throws Exception {
        try (ChatServer server = ChatServer.start(new Board(), options.port)) {
            ChatClient polls = new ChatClient(server.url());
            ChatClient talks = new ChatClient(server.url());
            System.out.printf("%n%s polling (%s), chat server at %s%n", shortPolling ? "short" : "long", shortPolling
                    ? "asks every " + options.interval + " ms" : "each request held up to " + options.waitMillis + " ms",
                    server.url());
            if (!shortPolling) {
                long start = System.nanoTime();
                List<ChatMessage> none = polls.fetch(0, Duration.ofMillis(200));
                System.out.printf("  an empty chat: GET /messages?since=0&wait=200 answered %s after %d ms (the timeout path)%n",
                        none, (System.nanoTime() - start) / 1_000_000);
            }
            List<Double> stale = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService users = Executors.newFixedThreadPool(2);
            List<Future<Void>> loops = new ArrayList<>();
            for (String name : List.of("alice", "bob")) {
                Consumer<ChatMessage> inbox = message -> {
                    if (!message.user().equals(name)) {
                        synchronized (stale) {
                            stale.add(message.ageMillis());
                        }
                    }
                };
                loops.add(users.submit(() -> {
                    if (shortPolling) {
                        RequestResponse.shortPoll(polls, Duration.ofMillis(options.interval), inbox, running::get);
                    } else {
                        RequestResponse.longPoll(polls, Duration.ofMillis(options.waitMillis), inbox, running::get);
                    }
                    return null;
                }));
            }
            long fetchesBefore = polls.requests();
            long emptyBefore = polls.emptyResponses();
            int sent = 0;
            try {
                long start = System.nanoTime();
                long slot = PACE.toNanos();
                for (; (sent + 1) * slot <= options.seconds * 1_000_000_000L; sent++) {
                    // a random moment in the slot: message times do not keep step with the polling, as real chatters do not
                    sleepUntil(start + sent * slot + ThreadLocalRandom.current().nextLong(slot));
                    talks.post(sent % 2 == 0 ? "alice" : "bob", "message " + (sent + 1));
                    rethrowIfFailed(loops);
                    sleepUntil(start + (sent + 1) * slot);
                }
                long deadline = System.nanoTime() + Math.max(options.interval, options.waitMillis) * 2_000_000L + 2_000_000_000L;
                while (sizeOf(stale) < sent && System.nanoTime() < deadline) {
                    rethrowIfFailed(loops);
                    Thread.sleep(20);
                }
            } finally {
                running.set(false);
                users.shutdownNow();
            }
            System.out.printf("  requests made:    %d (both users), %d came back empty%n",
                    polls.requests() - fetchesBefore, polls.emptyResponses() - emptyBefore);
            synchronized (stale) {
                System.out.printf("  messages arrived: %d of %d%n", stale.size(), sent);
                System.out.printf("  stale on arrival: %s ms (average %.0f ms%s)%n",
                        stale.stream().map(ms -> String.format("%.0f", ms)).collect(Collectors.joining(", ")),
                        stale.stream().mapToDouble(Double::doubleValue).average().orElse(0), shortPolling
                                ? "; waiting for the next poll adds " + options.interval / 2 + " ms on average, half the interval"
                                : "");
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private static int sizeOf(List<Double> stale) {
        synchronized (stale) {
            return stale.size();
        }
    }

    /** A polling loop that threw: report its error here, in the thread that runs the lesson. */
    private static void rethrowIfFailed(List<Future<Void>> loops) throws Exception {
        for (Future<Void> loop : loops) {
            if (loop.isDone()) {
                try {
                    loop.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
    }
}
