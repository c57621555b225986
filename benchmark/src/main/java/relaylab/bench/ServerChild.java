package relaylab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.Arrays;
import java.util.stream.Collectors;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.internal.FanoutProbe;

/** The realtime server under test, alone in its own JVM; driven through stdin/stdout lines. */
final class ServerChild implements AutoCloseable {
    static final List<String> JVM_FLAGS = List.of("-Xmx2g", "-XX:+UseG1GC", "-Dsun.misc.unsafe.memory.access=allow");
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int port;

    private ServerChild(Process process) throws IOException, InterruptedException {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("error reading the server's output: " + e);
            }
        }, "bench-server-output");
        reader.setDaemon(true);
        reader.start();
        this.port = Integer.parseInt(expect("port ", Duration.ofSeconds(30)));
        System.out.println("server pid " + process.pid() + " (attach a profiler to it if you like), port " + port);
    }

    /**
     * Starts the server of {@code kind}: relaylab, raw, raw-coalesced (in a child JVM) or socketio (node, see
     * {@link NodeServer}); {@code instruments} turns relaylab's {@code FanoutProbe} on.
     */
    static ServerChild start(String kind, int ioThreads, boolean instruments) throws IOException, InterruptedException {
        if (kind.equals("socketio")) {
            ProcessBuilder node = new ProcessBuilder(NodeServer.command()).redirectError(ProcessBuilder.Redirect.INHERIT);
            node.environment().put("NODE_PATH", NodeServer.nodePath());
            return new ServerChild(node.start());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        String extra = System.getenv("RELAYLAB_BENCH_SERVER_OPTS"); // e.g. -XX:StartFlightRecording=filename=server.jfr
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (instruments) {
            command.add("-Drelaylab.instruments=true");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FanOutBench.class.getName());
        command.add(FanOutBench.SERVE_FLAG);
        command.add(kind);
        command.add(String.valueOf(ioThreads));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ServerChild(p);
    }

    int port() {
        return port;
    }

    /** CPU time of the whole server process so far (user + system, all threads). */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("this system does not report a process's CPU time"));
    }

    /**
     * The system (kernel) part of {@link #cpuNanos()}, from /proc/PID/stat; -1 where there is no /proc.
     * Kernel time is mostly the socket writes, which on loopback include delivering to the receiver.
     */
    long systemCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[12]) * 10_000_000L; // stime, field 15, in clock ticks of 10 ms
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The server's fan-out counters so far ({@code FanoutProbe.snapshot()}), or null when it keeps none (instruments
     * off, or not relaylab).
     */
    long[] probe() throws IOException, InterruptedException {
        send("probe");
        String answer = expect("probe ", Duration.ofSeconds(10));
        if (answer.equals("none")) {
            return null;
        }
        String[] parts = answer.split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Long.parseLong(parts[i]);
        }
        return values;
    }

    /** GCs the server, then returns {used heap bytes, direct (off-heap) buffer bytes}. */
    long[] usedHeapAfterGc() throws IOException, InterruptedException {
        send("heap");
        String[] parts = expect("heap ", Duration.ofSeconds(60)).split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }

    /** Bytes of direct (off-heap) NIO buffers in use in this JVM: pooled I/O buffers live there, not on the heap. */
    static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return -1;
    }

    void awaitSockets(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            send("sockets");
            last = Integer.parseInt(expect("sockets ", Duration.ofSeconds(10)));
            if (last == count) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling another process, bounded by the deadline
        }
        throw new IllegalStateException("the server has " + last + " connected sockets, expected " + count + " within " + timeout);
    }

    private void send(String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private String expect(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("the server child did not answer \"" + prefix.trim() + "\" within " + timeout
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
            System.out.println("server: " + line);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
            stdin.close();
        } catch (IOException e) {
            System.err.println("bench: could not ask the server to quit (" + e.getMessage() + "); killing it");
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    /** The child's main: a RealtimeServer that re-broadcasts "chat" to everyone but the sender. */
    static void serve(String kind, int ioThreads) throws IOException {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
        if (kind.startsWith("raw")) {
            serveRaw(kind.equals("raw-coalesced"));
            return;
        }
        RealtimeServer server = RealtimeServer.create(cfg -> cfg.ioThreads(ioThreads)).start(0);
        server.on("connection", socket -> socket.on("chat", (args, ack) -> socket.broadcast().emit("chat", args.get(0))));
        System.out.println("port " + server.port());
        System.out.flush();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "heap" -> {
                        for (int i = 0; i < 4; i++) {
                            System.gc();
                        }
                        System.out.println("heap " + memory.getHeapMemoryUsage().getUsed() + " " + directBytes());
                    }
                    case "sockets" -> System.out.println("sockets " + server.sockets().size());
                    case "probe" -> System.out.println("probe " + (FanoutProbe.ON ? Arrays.stream(FanoutProbe.snapshot())
                            .mapToObj(Long::toString).collect(Collectors.joining(",")) : "none"));
                    case "quit" -> {
                        server.stop();
                        return;
                    }
                    default -> System.out.println("unknown command " + line);
                }
                System.out.flush();
            }
        } finally {
            server.stop();
        }
    }

    private static void serveRaw(boolean coalesce) throws IOException {
        RawFanOutServer raw = new RawFanOutServer(coalesce);
        Thread thread = new Thread(raw, "raw-fan-out");
        thread.start();
        System.out.println("port " + raw.port());
        System.out.flush();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
                switch (line.trim()) {
                    case "heap" -> {
                        for (int i = 0; i < 4; i++) {
                            System.gc();
                        }
                        System.out.println("heap " + memory.getHeapMemoryUsage().getUsed() + " " + directBytes());
                    }
                    case "sockets" -> System.out.println("sockets " + raw.sockets());
                    case "probe" -> System.out.println("probe none");
                    default -> System.out.println("unknown command " + line);
                }
                System.out.flush();
            }
        } finally {
            raw.stop();
        }
    }
}
