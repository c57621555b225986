package relaylab.realtime;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Rerunnable before/after figures for the attacks of issue 10 (items 1-5): for each attack a fresh server runs in a
 * child JVM (default settings, a broadcasting "chat" handler) and a well-behaved bystander measures its round trip
 * (emit "chat" with an ack: the broadcast walks every socket first) while the attack goes on and after it; the server
 * reports its used heap after a GC, its open file descriptors and its sockets. Loopback only, bounded in count and
 * time (about 2 minutes). Run: {@code common/scripts/attack-measure.sh} (or {@code ... ghosts slowloris} for some).
 * On a machine shared with other work, compare figures taken one after the other, not across days.
 */
public final class AttackMeasure {
    private static final char RS = '\u001e';
    private static final String EVENT = "42[\"chat\",\"" + "x" + "\"]";

    private AttackMeasure() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            serve();
            return;
        }
        List<String> attacks = args.length == 0 ? List.of("ghosts", "flood", "attachments", "headers", "slowloris") : List.of(args);
        System.out.printf(Locale.ROOT, "%-12s %-26s %9s %6s %8s %12s%n", "attack", "moment", "heap MB", "fds", "sockets", "bystander p50");
        for (String attack : attacks) {
            try (Child server = new Child()) {
                Bystander b = new Bystander(server.port);
                server.report(attack, "before", b);
                switch (attack) {
                    case "ghosts" -> ghosts(server, b);
                    case "flood" -> flood(server, b);
                    case "attachments" -> attachments(server, b);
                    case "headers" -> headers(server, b);
                    case "slowloris" -> slowloris(server, b);
                    default -> throw new IllegalArgumentException("unknown attack " + attack
                            + "; attacks: ghosts flood attachments headers slowloris");
                }
                b.close();
            }
        }
    }

    /** 5 polling sessions, each one POST of 1 MB of CONNECT packets (333k); measured once handled, then once closed. */
    private static void ghosts(Child server, Bystander b) throws Exception {
        String body = String.join(String.valueOf(RS), Collections.nCopies(333_000, "40"));
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sid = RawHttp.openPolling(server.port);
            RawHttp.post(server.port, sid, body);
            sids.add(sid);
        }
        server.reportWhenSettled("ghosts", "5 POSTs handled", b);
        for (String sid : sids) {
            RawHttp.post(server.port, sid, "1");
        }
        server.reportWhenSettled("ghosts", "5 clients gone", b);
    }

    /** One raw WebSocket writing 14-byte events as fast as it can for 5 s (at most 3M); measured then and once handled. */
    private static void flood(Child server, Bystander b) throws Exception {
        byte[] one = WireClient.frame(0x81, EVENT.getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[one.length * 300];
        for (int i = 0; i < 300; i++) {
            System.arraycopy(one, 0, chunk, i * one.length, one.length);
        }
        long sent = 0;
        try (WireClient attacker = WireClient.open(server.port)) {
            attacker.nextText();
            attacker.sendText("40");
            attacker.nextText();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end && sent < 3_000_000) {
                attacker.sendRaw(chunk);
                sent += 300;
            }
            server.report("flood", String.format(Locale.ROOT, "%,d events sent", sent), b);
        }
        server.report("flood", "attacker gone", b);
        Thread.sleep(10_000); // what the server still holds once it had 10 s to catch up
        server.report("flood", "10 s later", b);
    }

    /** A packet announcing 999,999 attachments, then 200 binary frames of 100 KB. */
    private static void attachments(Child server, Bystander b) throws Exception {
        Ws attacker = new Ws(server.port);
        attacker.send("40");
        attacker.next();
        attacker.send("45999999-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        byte[] frame = new byte[100_000];
        for (int i = 0; i < 200 && attacker.isOpen(); i++) {
            attacker.send(frame);
        }
        server.report("attachments", "20 MB of attachments sent", b);
        attacker.close();
    }

    /** 100 polling sessions opened with 500 KB of headers each, left idle. */
    private static void headers(Child server, Bystander b) throws IOException {
        String big = "X-Big: " + "a".repeat(500_000) + "\r\n";
        int opened = 0;
        for (int i = 0; i < 100; i++) {
            try {
                RawHttp.Response r = RawHttp.request(server.port, "GET", "/socket.io/?EIO=4&transport=polling", big, null);
                opened += r.status() == 200 ? 1 : 0;
            } catch (IOException e) {
                // refused: the server closed the connection while the headers were still being sent
            }
        }
        server.report("headers", opened + "/100 sessions opened", b);
    }

    /** 500 connections that send half a request line, then nothing; measured at once and 15 s later. */
    private static void slowloris(Child server, Bystander b) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket("127.0.0.1", server.port);
                s.getOutputStream().write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nX-a: b"
                        .getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            server.report("slowloris", "500 half requests", b);
            Thread.sleep(15_000); // the attack itself: 15 s of silence, then see what the server still holds
            server.report("slowloris", "15 s later", b);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // ------------------------------------------------------------------ the server (child JVM)

    private static void serve() throws IOException {
        RealtimeServer server = RealtimeServer.create().start(0);
        server.on("connection", socket -> {
            socket.on("chat", (args, ack) -> {
                socket.broadcast().emit("chat", args.toArray());
                ack.send("ok");
            });
            socket.on("stats", (args, ack) -> {
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                long fds;
                try (var list = Files.list(Path.of("/proc/self/fd"))) {
                    fds = list.count();
                } catch (IOException e) {
                    fds = -1;
                }
                ack.send(heap, fds, server.sockets().size());
            });
        });
        System.out.println("port " + server.port());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        server.stop();
    }

    private static final class Child implements AutoCloseable {
        final Process process;
        final int port;

        Child() throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx3g", "-cp", System.getProperty("java.class.path"), AttackMeasure.class.getName(),
                    "server").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream())).readLine();
            if (line == null || !line.startsWith("port ")) {
                throw new IOException("the server did not start: " + line);
            }
            port = Integer.parseInt(line.substring(5).trim());
        }

        /** Reports once the server's socket count stopped changing (checked every second, at most 60 s). */
        void reportWhenSettled(String attack, String moment, Bystander b) throws Exception {
            String last = null;
            for (int i = 0; i < 60; i++) {
                String now = b.stats()[2];
                if (now.equals(last)) {
                    break;
                }
                last = now;
                Thread.sleep(1000);
            }
            report(attack, moment, b);
        }

        void report(String attack, String moment, Bystander b) {
            String p50;
            try {
                p50 = String.format(Locale.ROOT, "%.2f ms", b.p50Millis(50));
            } catch (Exception e) {
                p50 = "failed: " + e.getMessage();
            }
            String stats;
            try {
                String[] s = b.stats();
                stats = String.format(Locale.ROOT, "%9.1f %6s %8s", Long.parseLong(s[0]) / 1e6, s[1], s[2]);
            } catch (Exception e) {
                stats = "stats failed: " + e.getMessage();
            }
            System.out.printf(Locale.ROOT, "%-12s %-26s %s %12s%n", attack, moment, stats, p50);
        }

        @Override
        public void close() throws Exception {
            try (OutputStream in = process.getOutputStream()) {
                in.write('\n');
            } catch (IOException e) {
                // the server is gone already
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ clients

    /** A well-behaved client: emit "chat" with an ack, timed; asks the server for its figures. */
    private static final class Bystander {
        private final Ws ws;
        private int ackId;

        Bystander(int port) throws Exception {
            ws = new Ws(port);
            ws.send("40");
            ws.nextStartingWith("40");
        }

        double p50Millis(int n) throws Exception {
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                call("chat", "\"hi\"");
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return ms[n / 2];
        }

        String[] stats() throws Exception {
            String answer = call("stats", null);
            return answer.substring(answer.indexOf('[') + 1, answer.lastIndexOf(']')).split(",");
        }

        private String call(String event, String arg) throws Exception {
            int id = ackId++;
            ws.send("42" + id + "[\"" + event + "\"" + (arg == null ? "" : "," + arg) + "]");
            return ws.nextStartingWith("43" + id + "[");
        }

        void close() {
            ws.close();
        }
    }

    /** A bare Engine.IO WebSocket client: answers pings, queues the other text frames. */
    private static final class Ws extends WebSocketClient {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

        Ws(int port) throws Exception {
            super(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"));
            setConnectionLostTimeout(0);
            if (!connectBlocking(60, TimeUnit.SECONDS)) {
                throw new IOException("WebSocket did not open");
            }
            next();
        }

        String next() throws InterruptedException, IOException {
            String f = frames.poll(120, TimeUnit.SECONDS);
            if (f == null) {
                throw new IOException("no frame within 120 s (open=" + isOpen() + ")");
            }
            return f;
        }

        String nextStartingWith(String prefix) throws InterruptedException, IOException {
            while (true) {
                String f = next();
                if (f.startsWith(prefix)) {
                    return f;
                }
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            if (message.equals("2")) {
                send("3");
            } else if (!message.startsWith("42[\"chat\"")) { // the flood's broadcasts are not kept
                frames.add(message);
            }
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            frames.add("<closed " + code + ">");
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
