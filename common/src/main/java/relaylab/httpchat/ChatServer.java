// JBang scripts that list relaylab/httpchat/*.java get the one realtime file this package uses:
//SOURCES ../realtime/Logs.java
package relaylab.httpchat;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.xnio.Options;
import relaylab.realtime.Logs;

/**
 * The HTTP chat of lessons 02 and 04, on Undertow, bound to 127.0.0.1:
 * <ul>
 *   <li>{@code POST /messages} with {@code {"user":"alice","text":"hi","sentAt":123}} stores a message
 *       and answers it with its id;</li>
 *   <li>{@code GET /messages?since=N} answers the messages after id N at once (short polling);</li>
 *   <li>{@code GET /messages?since=N&wait=MS} holds the request until there is one, or MS pass
 *       (long polling);</li>
 *   <li>{@code /ws} is a WebSocket: each text message is a message to post, and every posted message
 *       is pushed to every open WebSocket.</li>
 * </ul>
 * Start it with {@link #start}, stop it with {@link #close} (try-with-resources).
 */
public final class ChatServer implements AutoCloseable {
    /** The longest a long-polling request may ask to be held. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final int MAX_BODY = 64 * 1024;
    private static final System.Logger LOG = System.getLogger("relaylab.httpchat");
    private static final AtomicInteger SERVERS = new AtomicInteger();

    static {
        Logs.quietLibraries();   // Undertow and XNIO announce every start at INFO; lessons print their own output
    }

    private final MessageBoard board;
    private final String threadPrefix;
    private final LongAdder requests = new LongAdder();
    private final Set<WebSocketChannel> sockets = ConcurrentHashMap.newKeySet();
    private final Undertow undertow;
    private final int port;

    private ChatServer(MessageBoard board, int port) {
        this.board = board;
        String workerName = "relaylab-chat-" + SERVERS.incrementAndGet();
        this.threadPrefix = workerName + " ";
        HttpHandler routes = Handlers.path()
                .addExactPath("/messages", this::messages)
                .addExactPath("/ws", Handlers.websocket(this::onWebSocket));
        this.undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setWorkerOption(Options.WORKER_NAME, workerName)
                .setHandler(exchange -> {
                    requests.increment();
                    routes.handleRequest(exchange);
                })
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof BindException) {
                throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; stop what uses it"
                        + " or choose another port (0 picks a free one)", e);
            }
            throw e;
        }
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Starts a chat server on 127.0.0.1; called by a lesson's main and by its tests (with port 0,
     * which picks a free port; read it back with {@link #port()}).
     *
     * @throws IllegalStateException when the port is in use
     */
    public static ChatServer start(MessageBoard board, int port) {
        return new ChatServer(board, port);
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, the base of every route. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many HTTP requests reached the server so far (a WebSocket counts once, for its upgrade). */
    public long requests() {
        return requests.sum();
    }

    /**
     * CPU time, in nanoseconds, used so far by the server's own threads (Undertow's acceptor, I/O
     * and worker threads); read before and after a measurement. Threads of clients in the same JVM
     * are not counted.
     */
    public long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(threadPrefix)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** Stops the server and closes every connection, held requests and WebSockets included. */
    @Override
    public void close() {
        undertow.stop();
    }

    private void messages(HttpServerExchange exchange) {
        try {
            if (exchange.getRequestMethod().equals(Methods.GET)) {
                get(exchange);
            } else if (exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getRequestReceiver().receiveFullString(this::post,
                        (ex, error) -> reply(ex, StatusCodes.BAD_REQUEST, "text/plain", "cannot read the body: " + error),
                        StandardCharsets.UTF_8);
            } else {
                reply(exchange, StatusCodes.METHOD_NOT_ALLOWED, "text/plain", "/messages takes GET or POST");
            }
        } catch (IllegalArgumentException e) {
            reply(exchange, StatusCodes.BAD_REQUEST, "text/plain", e.getMessage());
        } catch (RuntimeException e) {
            failed(exchange, e);
        }
    }

    private void get(HttpServerExchange exchange) {
        long since = number(exchange, "since", 0, Long.MAX_VALUE, 0);
        long wait = number(exchange, "wait", 0, MAX_WAIT.toMillis(), -1);
        if (wait < 0) {
            reply(exchange, StatusCodes.OK, "application/json", Json.write(board.since(since)));
            return;
        }
        CompletableFuture<List<ChatMessage>> answer = board.waitFor(since, Duration.ofMillis(wait));
        // dispatch without a new thread: the exchange stays open after this handler returns
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> answer.whenComplete((messages, error) ->
                exchange.getIoThread().execute(() -> {
                    if (error != null) {
                        failed(exchange, error);
                    } else {
                        reply(exchange, StatusCodes.OK, "application/json", Json.write(messages));
                    }
                })));
    }

    private void post(HttpServerExchange exchange, String body) {
        try {
            if (body.length() > MAX_BODY) {
                reply(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "text/plain", "a message may have at most "
                        + MAX_BODY + " characters");
                return;
            }
            ChatMessage message = publish(Json.message(body));
            reply(exchange, StatusCodes.OK, "application/json", Json.write(message));
        } catch (IllegalArgumentException e) {
            reply(exchange, StatusCodes.BAD_REQUEST, "text/plain", e.getMessage());
        } catch (RuntimeException e) {
            failed(exchange, e);
        }
    }

    /** Stores a message and pushes it to every open WebSocket. */
    private ChatMessage publish(ChatMessage incoming) {
        ChatMessage stored = board.post(incoming.user(), incoming.text(), incoming.sentAt());
        if (!sockets.isEmpty()) {
            String json = Json.write(stored);
            for (WebSocketChannel socket : sockets) {
                WebSockets.sendText(json, socket, null);
            }
        }
        return stored;
    }

    /**
     * The first frame every WebSocket receives, once it is registered for pushes. A client that
     * waits for it knows it cannot miss a message posted afterwards (the 101 answer alone can reach
     * the client before the server has registered the socket).
     */
    static final String READY = "{\"ready\":true}";

    private void onWebSocket(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        sockets.add(channel);
        channel.addCloseTask(closed -> sockets.remove(closed));
        WebSockets.sendText(READY, channel, null);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel from, BufferedTextMessage text) {
                try {
                    publish(Json.message(text.getData()));
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.INFO, "closing a WebSocket that sent a bad message: " + e.getMessage());
                    WebSockets.sendClose(new CloseMessage(CloseMessage.MSG_CONTAINS_INVALID_DATA, "bad message"), from, null);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a WebSocket message could not be posted: " + e);
                    WebSockets.sendClose(new CloseMessage(CloseMessage.UNEXPECTED_ERROR, Json.abbreviate(
                            String.valueOf(e.getMessage()))), from, null);
                }
            }
        });
        channel.resumeReceives();
    }

    /** Reads a whole-number query parameter; absent gives {@code absent}, anything else out of range is a 400. */
    private static long number(HttpServerExchange exchange, String name, long min, long max, long absent) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return absent;
        }
        String value = values.getFirst();
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                + ", got '" + value + "'");
    }

    /** A board that threw: an unfinished TODO goes back as its own message, so the client can show it. */
    private static void failed(HttpServerExchange exchange, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (!(cause instanceof UnsupportedOperationException)) {
            LOG.log(System.Logger.Level.WARNING, "request " + exchange.getRequestURI() + " failed: " + cause);
        }
        reply(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "text/plain", String.valueOf(cause.getMessage()));
    }

    private static void reply(HttpServerExchange exchange, int status, String type, String body) {
        if (exchange.isResponseStarted()) {
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type + "; charset=utf-8");
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }
}
