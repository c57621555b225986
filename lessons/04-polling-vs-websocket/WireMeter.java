import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import relaylab.workbook.Tasks;

/**
 * A byte counter on the wire: a TCP relay on 127.0.0.1 that clients connect to instead of the
 * server. It passes every byte on unchanged and counts what goes up (client to server) and down
 * (server to client): HTTP headers, bodies, WebSocket frame headers, everything TCP carries. Each direction
 * of each connection runs PollingVsWebSocket.pump (task 2). Nothing to write here.
 */
final class WireMeter implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final LongAdder up = new LongAdder();
    private final LongAdder down = new LongAdder();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "wire-meter");
        thread.setDaemon(true);
        return thread;
    });

    /** Starts relaying a free local port to {@code serverPort}. */
    WireMeter(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** {@code http://127.0.0.1:PORT}: give this to clients instead of the server's own URL. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    long up() {
        return up.sum();
    }

    long down() {
        return down.sum();
    }

    /** The first error that stopped a relay, such as an unfinished TODO in pump() (task 2); null while all is well. */
    RuntimeException failure() {
        return failure.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client = null;
            Socket server = null;
            try {
                client = listener.accept();
                server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                for (Socket socket : List.of(client, server)) {
                    socket.setTcpNoDelay(true);
                    sockets.add(socket);
                }
                Socket up = client;
                Socket down = server;
                threads.execute(() -> relay(up, down, this.up));
                threads.execute(() -> relay(down, up, this.down));
            } catch (IOException | RejectedExecutionException e) {
                // a connection that arrives while the meter closes is not relayed: close what was opened
                for (Socket socket : new Socket[] {client, server}) {
                    if (socket != null) {
                        close(socket);
                    }
                }
                if (!listener.isClosed()) {
                    System.getLogger("relaylab.lesson04").log(System.Logger.Level.WARNING, "wire meter: " + e);
                }
            }
        }
    }

    /** One direction of one connection; when it ends, the other side hears end-of-stream too. */
    private void relay(Socket from, Socket to, LongAdder counter) {
        try {
            PollingVsWebSocket.pump(from.getInputStream(), to.getOutputStream(), counter);
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
        } catch (RuntimeException e) {
            // an unfinished TODO is kept for the caller to report (failure()); anything else is logged here too
            if (failure.compareAndSet(null, e) && Tasks.todoNumber(e.getMessage()) == null) {
                System.getLogger("relaylab.lesson04").log(System.Logger.Level.WARNING, "wire meter stopped relaying: " + e);
            }
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            System.getLogger("relaylab.lesson04").log(System.Logger.Level.DEBUG, () -> "wire meter: closing " + socket + ": " + e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(WireMeter::close);
        threads.shutdownNow();
    }
}
