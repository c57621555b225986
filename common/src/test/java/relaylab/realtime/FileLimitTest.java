package relaylab.realtime;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.client.RealtimeClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server under a low open-file limit, for real: it runs in a child JVM started by {@code bash -c 'ulimit -n N;
 * exec java ...'}, and this test fills its connections or its descriptors from outside. A client the server cannot take
 * must be refused at once (HTTP 503 or a close), not left waiting in the accept queue until {@code idleTimeout}; the
 * refusal is logged; connected clients go on; and the server accepts again once connections leave. Each step is
 * awaited with a deadline far below the 50 s {@code idleTimeout} a waiting client would see. Prints the time until the
 * extra client learned it was refused (the figure in common/README's bad-input table).
 */
class FileLimitTest {
    private static final Path BASH = Path.of("/bin/bash");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String REQUEST = "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n";

    @BeforeAll
    static void needsBashAndUlimit() {
        Assumptions.assumeTrue(Files.isExecutable(BASH) && FileLimit.softLimit() > 0,
                "needs /bin/bash and a Unix open-file limit (ulimit -n) to start the server under a low limit");
    }

    @Test
    @DisplayName("default maxConnections (ulimit -n minus 256): silent connections fill it, the next client gets 503 at once, logged; others go on; a new client gets in after some leave")
    void defaultCapRefusesAtAccept() throws Exception {
        try (Child server = new Child(400, "default")) {
            assertThat(server.max).as("the default maxConnections under ulimit -n 400").isEqualTo(400 - ConnectionCap.RESERVED_FILES);
            RealtimeClient a = server.client();
            RealtimeClient b = server.client();
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < server.max - 2; i++) {
                    silent.add(new Socket("127.0.0.1", server.port));
                }
                long start = System.nanoTime();
                RawHttp.Response extra = new RawHttp(server.port).write(REQUEST).read();
                server.figure("maxConnections reached", start);
                assertThat(extra.status()).as("a client over maxConnections " + server.max + " (answered " + extra
                        + ")").isIn(-1, 503);
                try (RawHttp silentExtra = new RawHttp(server.port)) {
                    assertThat(silentExtra.read().status()).as("a silent connection over the limit is refused too").isIn(-1, 503);
                }
                server.awaitLine("maxConnections " + server.max + " reached (the default: open-file limit 400");
                assertBroadcastArrives(a, b);
                closeSome(silent, 5);
                RealtimeClient late = server.client();
                late.disconnect();
            } finally {
                closeSome(silent, silent.size());
                a.disconnect();
                b.disconnect();
            }
        }
    }

    @Test
    @DisplayName("out of file descriptors (maxConnections above ulimit -n): the next client is closed at once, ONE log line says so, others go on, and the server recovers by itself")
    void outOfDescriptors() throws Exception {
        try (Child server = new Child(256, "100000")) {
            RealtimeClient a = server.client();
            RealtimeClient b = server.client();
            // the classes of a broadcast are loaded now: out of descriptors, a class file could not be opened
            assertBroadcastArrives(a, b);
            List<RawHttp> served = new ArrayList<>();
            try {
                RawHttp.Response answer = null;
                long start = 0;
                for (int i = 0; i < 300; i++) {
                    RawHttp http = new RawHttp(server.port);
                    start = System.nanoTime();
                    answer = http.write(REQUEST).read();
                    if (answer.status() == -1 || answer.status() == 503) {
                        http.close();
                        break;
                    }
                    served.add(http);
                }
                server.figure("open-file limit reached, " + served.size() + " connections held", start);
                assertThat(answer.status()).as("the first client the server has no descriptor for (after " + served.size()
                        + " were served)").isIn(-1, 503);
                for (int i = 0; i < 3; i++) {
                    try (RawHttp again = new RawHttp(server.port)) {
                        assertThat(again.write(REQUEST).read().status()).as("another client while out of descriptors").isIn(-1, 503);
                    }
                }
                String reached = "open-file limit 256 reached: raise `ulimit -n` or lower RealtimeConfig.maxConnections";
                server.awaitLine(reached);
                assertBroadcastArrives(a, b);
                assertThat(server.lines(reached)).as("log lines saying so, after 4 refusals:\n" + server.log()).isEqualTo(1);
                for (int i = 0; i < 10; i++) {
                    served.remove(served.size() - 1).close();
                }
                RealtimeClient late = server.client();
                server.awaitLine("open-file limit 256: descriptors are free again");
                late.disconnect();
            } finally {
                for (RawHttp http : served) {
                    http.close();
                }
                a.disconnect();
                b.disconnect();
            }
        }
    }

    private static void assertBroadcastArrives(RealtimeClient a, RealtimeClient b) throws InterruptedException {
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        a.on("chat", args -> got.add(args.get(0)));
        String text = "still here " + System.nanoTime();
        b.emit("chat", text);
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a broadcast to a client connected before").isEqualTo(text);
    }

    private static void closeSome(List<Socket> sockets, int n) throws IOException {
        for (int i = 0; i < n && !sockets.isEmpty(); i++) {
            sockets.remove(sockets.size() - 1).close();
        }
    }

    /** The server in a child JVM under {@code ulimit -n limit}; its log lines (stderr) are kept. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final int port;
        final int max;
        private final List<String> log = new CopyOnWriteArrayList<>();

        Child(int limit, String maxConnections) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "ulimit -n " + limit + " && exec \"$0\" -Xmx256m -cp \"$1\" \"$2\" \"$3\"";
            process = new ProcessBuilder(BASH.toString(), "-c", command, java, System.getProperty("java.class.path"),
                    Main.class.getName(), maxConnections).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line = err.readLine(); line != null; line = err.readLine()) {
                        log.add(line);
                    }
                } catch (IOException e) {
                    log.add("(reading the server's log failed: " + e + ")");
                }
            }, "file-limit-child-log");
            reader.setDaemon(true);
            reader.start();
            String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (first == null || !first.startsWith("port ")) {
                process.destroyForcibly();
                throw new AssertionError("the server under ulimit -n " + limit + " did not start: " + first + "\n" + log());
            }
            String[] words = first.split(" ");
            port = Integer.parseInt(words[1]);
            max = Integer.parseInt(words[3]);
        }

        RealtimeClient client() {
            RealtimeClient client = RealtimeClient.connect("http://127.0.0.1:" + port);
            try {
                return client.awaitConnected(WAIT);
            } catch (IllegalStateException e) {
                client.disconnect();
                throw new AssertionError(e.getMessage() + "; the server's log:\n" + log(), e);
            }
        }

        void awaitLine(String text) {
            Await.until("a log line containing '" + text + "'", () -> lines(text) > 0, () -> "; the log:\n" + log());
        }

        long lines(String text) {
            return log.stream().filter(line -> line.contains(text)).count();
        }

        String log() {
            return String.join("\n", log);
        }

        void figure(String what, long startNanos) {
            System.out.printf(Locale.ROOT, "FileLimitTest: %s: the extra client learned it was refused after %d ms%n",
                    what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The child: a default server with a broadcasting "chat" handler; prints "port P max M". */
    static final class Main {
        public static void main(String[] args) {
            int max = args[0].equals("default") ? ConnectionCap.defaultMax() : Integer.parseInt(args[0]);
            RealtimeServer server = RealtimeServer.create(cfg -> {
                if (!args[0].equals("default")) {
                    cfg.maxConnections(max);
                }
            }).start(0);
            server.on("connection", socket -> socket.on("chat", chat -> socket.broadcast().emit("chat", chat.get(0))));
            System.out.println("port " + server.port() + " max " + max);
            System.out.flush();
        }
    }
}
