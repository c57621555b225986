///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/http/*.java
//SOURCES Board.java

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.http.ChatClient;
import relaylab.http.ChatMessage;
import relaylab.http.ChatServer;
import relaylab.workbook.Exercise;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 02: a chat over plain HTTP. The server can only answer; to hear news, a client must ask,
 * either again and again (short polling) or once and be held until there is news (long polling).
 */
@Lesson(number = 2, title = "Request-response",
        summary = "An HTTP chat on Undertow, read by short polling and by long polling, with what each costs.")
public class RequestResponse {

    @Task(number = 2, title = "Poll every interval",
            hint = "Keep the highest id you have seen (start at 0). Each turn: client.fetch(last), give each message"
                    + " to inbox, raise last to its id, then Thread.sleep(interval.toMillis()). Stop when keepGoing"
                    + " returns false.")
    static void shortPoll(ChatClient client, Duration interval, Consumer<ChatMessage> inbox, BooleanSupplier keepGoing)
            throws IOException, InterruptedException {
        long last = 0;
        while (keepGoing.getAsBoolean()) {
            for (ChatMessage message : client.fetch(last)) {
                inbox.accept(message);
                last = Math.max(last, message.id());
            }
            Thread.sleep(interval.toMillis());
        }
    }

    @Task(number = 5, title = "Ask again at once (long polling)",
            hint = "The same loop as shortPoll, but call client.fetch(last, wait) and never sleep: the server does"
                    + " the waiting, and an empty answer only means the wait ran out, so ask again right away.")
    static void longPoll(ChatClient client, Duration wait, Consumer<ChatMessage> inbox, BooleanSupplier keepGoing)
            throws IOException, InterruptedException {
        long last = 0;
        while (keepGoing.getAsBoolean()) {
            for (ChatMessage message : client.fetch(last, wait)) {
                inbox.accept(message);
                last = Math.max(last, message.id());
            }
        }
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
                Duration pace = Duration.ofMillis(700);
                System.out.printf("Alice and Bob take turns: one message every %d ms for %d s; each polls for the other's.%n",
                        pace.toMillis(), seconds);
                chat("short", this, pace);
                chat("long", this, pace);
                System.out.println("\nEvery message above reached its reader as the answer to a request the reader made:"
                        + "\nthe server never spoke first. See the README for what that means (one-way, half-duplex, full-duplex).");
            });
            return 0;
        }
    }

    /** One run of the chat with one polling style; prints what the two users' polling cost. */
    static void chat(String style, Options options, Duration pace) throws Exception {
        Board board = new Board();
        try (ChatServer server = ChatServer.start(board, options.port)) {
            ChatClient polls = new ChatClient(server.url());
            ChatClient talks = new ChatClient(server.url());
            boolean shortPolling = style.equals("short");
            System.out.printf("%n%s polling (%s), chat server at %s%n", style, shortPolling
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
                        shortPoll(polls, Duration.ofMillis(options.interval), inbox, running::get);
                    } else {
                        longPoll(polls, Duration.ofMillis(options.waitMillis), inbox, running::get);
                    }
                    return null;
                }));
            }
            long fetchesBefore = polls.requests();
            long emptyBefore = polls.emptyResponses();
            int sent = 0;
            try {
                for (long end = System.nanoTime() + options.seconds * 1_000_000_000L; System.nanoTime() < end; sent++) {
                    Thread.sleep(pace.toMillis());
                    talks.post(sent % 2 == 0 ? "alice" : "bob", "message " + (sent + 1));
                    rethrowIfFailed(loops);
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
                System.out.printf("  stale on arrival: %s ms (average %.0f ms)%n",
                        stale.stream().map(ms -> String.format("%.0f", ms)).collect(Collectors.joining(", ")),
                        stale.stream().mapToDouble(Double::doubleValue).average().orElse(0));
            }
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

    public static void main(String[] args) {
        System.exit(new CommandLine(new Options()).execute(args));
    }
}
