package relaylab.realtime;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import relaylab.realtime.protocol.EngineError;
import relaylab.realtime.protocol.Outbound;
import relaylab.realtime.protocol.PacketCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The HTTP long-polling transport of one {@link EngineSession}: a GET is held until packets wait (then answered
 * with all of them, separated by {@code \x1e}), a POST carries the client's packets. Its state is guarded by the
 * session's lock, because sending decides between WebSocket and polling under that lock.
 */
final class PollingTransport {
    private static final System.Logger LOG = EngineSession.LOG;
    private static final char RECORD_SEPARATOR = '\u001e';
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
    private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();

    private final EngineSession session;
    // guarded by the session's lock
    private ArrayDeque<Outbound> queue;
    private HttpServerExchange pendingGet;
    private ServerConnection watched;
    private boolean postBusy;

    /** A held poll to answer, outside the lock, with the packets that were queued. */
    record Answer(PollingTransport polling, HttpServerExchange exchange, List<Outbound> batch) {
        void send() {
            polling.respond(exchange, batch);
        }
    }

    PollingTransport(EngineSession session) {
        this.session = session;
    }

    // ------------------------------------------------------------------ called under the session's lock

    /** Queues packets for the next poll; when a poll is held, takes it with everything queued (answer it unlocked). */
    Answer enqueue(Outbound packet) {
        queue().add(packet);
        return takeHeldPoll();
    }

    /** Queues {@code first} then {@code more}; like {@link #enqueue(Outbound)}. */
    Answer enqueue(Outbound first, List<Outbound> more) {
        queue().add(first);
        queue.addAll(more);
        return takeHeldPoll();
    }

    private Answer takeHeldPoll() {
        if (pendingGet == null) {
            return null;
        }
        HttpServerExchange exchange = pendingGet;
        pendingGet = null;
        return new Answer(this, exchange, drain());
    }

    /** True when a poll is held and nothing waits: a volatile packet can go now. */
    boolean canTakeNow() {
        return pendingGet != null && (queue == null || queue.isEmpty());
    }

    /** Takes the held poll, if any (to answer it outside the lock). */
    HttpServerExchange takePendingGet() {
        HttpServerExchange exchange = pendingGet;
        pendingGet = null;
        return exchange;
    }

    boolean hasPendingGet() {
        return pendingGet != null;
    }

    /** Everything queued, in order (a new mutable list; empty when nothing waits); the queue is then empty. */
    List<Outbound> drain() {
        if (queue == null) {
            return new ArrayList<>();
        }
        List<Outbound> batch = new ArrayList<>(queue);
        queue = null;
        return batch;
    }

    private ArrayDeque<Outbound> queue() {
        if (queue == null) {
            queue = new ArrayDeque<>(4);
        }
        return queue;
    }

    // ------------------------------------------------------------------ requests

    /** A GET: answer now if packets wait, else hold the request until there are some. Runs after dispatch. */
    void onGet(HttpServerExchange exchange) {
        List<Outbound> batch = null;
        boolean overlap = false;
        synchronized (session) {
            if (session.closed() || session.pollingDoneLocked()) {
                batch = List.of(session.closed() ? Outbound.CLOSE : Outbound.NOOP);
            } else if (pendingGet != null) {
                overlap = true;
            } else if (queue != null && !queue.isEmpty()) {
                batch = drain();
            } else if (session.probedLocked()) {
                // a GET that arrives after "3probe" must return at once, or the upgrade waits for the next ping
                batch = List.of(Outbound.NOOP);
            } else {
                pendingGet = exchange;
            }
        }
        if (overlap) {
            LOG.log(System.Logger.Level.WARNING, "connection " + session.sid + " from " + session.address
                    + " sent a second GET while one is pending (protocol error); closing it");
            EngineHandler.error(exchange, EngineError.BAD_REQUEST, null);
            session.close("transport error");
            return;
        }
        if (batch != null) {
            respond(exchange, batch);
            return;
        }
        watchConnection(exchange.getConnection());
    }

    /** Closes the session when the TCP connection of a pending poll goes away; one listener per TCP connection. */
    private void watchConnection(ServerConnection tcp) {
        synchronized (session) {
            if (watched == tcp) {
                return;
            }
            watched = tcp;
        }
        tcp.addCloseListener(c -> {
            boolean wasPending;
            synchronized (session) {
                wasPending = pendingGet != null && pendingGet.getConnection() == c;
                if (wasPending) {
                    pendingGet = null;
                }
            }
            if (wasPending) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.sid + ": poll request closed by the client; closing the session");
                session.inbox.execute(() -> session.close("transport close"));
            }
        });
    }

    /** Answers a GET with the packets, binary attachments as base64 records ("b..."). */
    void respond(HttpServerExchange exchange, List<Outbound> batch) {
        StringBuilder body = new StringBuilder();
        for (Outbound packet : batch) {
            if (body.length() > 0) {
                body.append(RECORD_SEPARATOR);
            }
            body.append(packet.text());
            if (packet.attachments() != null) {
                for (byte[] attachment : packet.attachments()) {
                    body.append(RECORD_SEPARATOR).append('b').append(BASE64_ENCODER.encodeToString(attachment));
                }
            }
        }
        EngineHandler.cors(exchange, session.server.config);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
        exchange.getResponseSender().send(body.toString());
    }

    /** A POST: one or more packets separated by \x1e; answered with "ok". */
    void onPost(HttpServerExchange exchange) {
        boolean overlap;
        synchronized (session) {
            overlap = postBusy;
            postBusy = true;
        }
        if (overlap) {
            LOG.log(System.Logger.Level.WARNING, "connection " + session.sid + " sent a second POST while one is running (protocol error); closing it");
            EngineHandler.error(exchange, EngineError.BAD_REQUEST, null);
            session.close("transport error");
            return;
        }
        long declared = exchange.getRequestContentLength();
        int max = session.server.config.maxPayload;
        if (declared > max) {
            tooBig(exchange, declared);
            return;
        }
        exchange.setMaxEntitySize(max);
        exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            if (body.length() > max && PacketCodec.utf8Length(body) > max) {
                synchronized (session) {
                    postBusy = false;
                }
                tooBig(ex, PacketCodec.utf8Length(body));
                return;
            }
            receive(body);
            Runnable answer = () -> {
                synchronized (session) {
                    postBusy = false;
                }
                EngineHandler.cors(ex, session.server.config);
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=UTF-8");
                ex.getResponseSender().send("ok");
            };
            SocketIoConnection socketIo = session.socketIo;
            if (socketIo.inboundFull()) {
                // backpressure: the client sends its next POST only after this answer, which waits for the handlers
                socketIo.notePaused(" (POST answer held back)");
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> socketIo.whenDrained(answer));
            } else {
                answer.run();
            }
        }, (ex, error) -> {
            synchronized (session) {
                postBusy = false;
            }
            LOG.log(System.Logger.Level.WARNING, "connection " + session.sid + ": reading the POST body failed (" + error
                    + "); closing it");
            ex.setStatusCode(StatusCodes.BAD_REQUEST);
            ex.endExchange();
            session.close("transport error");
        }, StandardCharsets.UTF_8);
    }

    /** Hands each record of a POST body to the session, until one closes it. */
    private void receive(String body) {
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf(RECORD_SEPARATOR, start);
            if (end < 0) {
                end = body.length();
            }
            String record = body.substring(start, end);
            if (record.startsWith("b")) {
                byte[] bytes;
                try {
                    bytes = BASE64_DECODER.decode(record.substring(1));
                } catch (IllegalArgumentException e) {
                    session.fail("invalid base64 in a binary polling packet", "transport error");
                    break;
                }
                session.onBinary(bytes);
            } else if (!session.onText(record)) {
                break;
            }
            start = end + 1;
        }
    }

    private void tooBig(HttpServerExchange exchange, long size) {
        LOG.log(System.Logger.Level.WARNING, "connection " + session.sid + " from " + session.address + " sent a message of "
                + size + " bytes, more than maxPayload " + session.server.config.maxPayload + "; closing it");
        session.close("transport error");
        exchange.setStatusCode(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        exchange.setPersistent(false);
        exchange.endExchange();
    }
}
