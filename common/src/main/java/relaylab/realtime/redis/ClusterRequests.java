package relaylab.realtime.redis;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import relaylab.realtime.Adapter;
import relaylab.realtime.RealtimeJson;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The requests one {@link RedisAdapter} sends to the other servers of its namespace and the answers it waits for:
 * publishing on the request channel, counting the servers with {@code PUBSUB NUMSUB}, matching answers by
 * {@code requestId}, and failing a request that is not fully answered within the timeout.
 */
final class ClusterRequests {
    private static final System.Logger LOG = System.getLogger(RedisAdapter.class.getName());

    private final RedisClient redis;
    private final String uid;
    private final String requestChannel;
    private final Duration requestsTimeout;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    ClusterRequests(RedisClient redis, String uid, String requestChannel, Duration requestsTimeout) {
        this.redis = redis;
        this.uid = uid;
        this.requestChannel = requestChannel;
        this.requestsTimeout = requestsTimeout;
    }

    /** True for a request this server sent and still waits for (its own copy comes back on the request channel). */
    boolean waitingFor(String requestId) {
        return requestId != null && pending.containsKey(requestId);
    }

    /** Publishes a request that expects no answer (a server-side emit without ack, socketsJoin, ...). */
    void tell(Map<String, Object> request, String what) {
        publish(requestChannel, ClusterWire.json(request), what);
    }

    /** Fails every request still waiting: the server stops. */
    void failAll() {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().done.completeExceptionally(new IllegalStateException("the server stopped before the other"
                        + " servers answered"));
            }
        }
    }

    /** A request of this server waiting for answers: {@code expected} of them, counting this server's own for a fetch. */
    private static final class Pending {
        final int type;
        final int expected;
        final List<Object> results = new ArrayList<>();
        final CompletableFuture<List<Object>> done = new CompletableFuture<>();
        int answers;

        Pending(int type, int expected, int answers, List<Object> results) {
            this.type = type;
            this.expected = expected;
            this.answers = answers;
            this.results.addAll(results);
        }
    }

    Map<String, Object> request(int type) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("type", type);
        return request;
    }

    static Map<String, Object> opts(Adapter.Target target) {
        return Map.of("rooms", target.rooms(), "except", target.exceptWithSender());
    }

    static List<Object> data(String event, Object[] args) {
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        for (Object arg : args) {
            data.add(RealtimeJson.mapper().convertValue(arg, Object.class));
        }
        return data;
    }

    /**
     * Publishes a request with a new id and completes with {@code known} plus every answer once all servers counted
     * on the request channel (minus {@code self}, this server when it does not answer itself) have answered.
     */
    CompletableFuture<List<Object>> ask(Map<String, Object> request, int type, String what, List<Object> known, int self) {
        long servers;
        try {
            servers = serverCount();
        } catch (JedisException e) {
            return CompletableFuture.failedFuture(new IllegalStateException(what + " cannot reach Redis to ask the other servers ("
                    + e.getMessage() + "); is Redis up? Only this server's sockets are known until it is", e));
        }
        // a fetch counts this server's own answer (known) as the first of `servers`; an ack waits for the others only
        int expected = (int) Math.max(0, servers - self);
        int answered = type == ClusterWire.REMOTE_FETCH ? 1 : 0;
        if (expected <= answered) {
            return CompletableFuture.completedFuture(known);
        }
        String requestId = RedisAdapter.randomId();
        request.put("requestId", requestId);
        Pending waiting = new Pending(type, expected, answered, known);
        pending.put(requestId, waiting);
        long millis = requestsTimeout.toMillis();
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> {
            if (pending.remove(requestId, waiting)) {
                int got;
                synchronized (waiting) {
                    got = waiting.answers - answered;
                }
                waiting.done.completeExceptionally(new TimeoutException("timeout reached: " + what + " got " + got + " of "
                        + (expected - answered) + " answers from the other servers within " + millis + " ms (a server that is"
                        + " stuck, or has no handler for a server-side emit, does not answer); channel " + requestChannel));
            }
        });
        if (!publish(requestChannel, ClusterWire.json(request), what)) {
            pending.remove(requestId);
            waiting.done.completeExceptionally(new IllegalStateException(what + " could not be published: Redis is not"
                    + " reachable; is it up?"));
        }
        return waiting.done;
    }

    /** How many servers (of this namespace) are subscribed to the request channel, this one included. */
    private long serverCount() {
        Object reply = redis.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", requestChannel);
        if (reply instanceof List<?> list && list.size() >= 2 && list.get(1) instanceof Number n) {
            return n.longValue();
        }
        throw new JedisException("unexpected reply to PUBSUB NUMSUB " + requestChannel + ": " + (reply instanceof List<?> list
                ? list.stream().map(item -> item instanceof byte[] b ? ClusterWire.utf8(b) : String.valueOf(item)).toList() : reply));
    }

    boolean publish(String to, byte[] message, String what) {
        try {
            redis.publish(to.getBytes(StandardCharsets.UTF_8), message);
            return true;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot publish " + what + " to Redis (" + e.getMessage()
                    + "): the other servers do not get it; is Redis up?");
            return false;
        }
    }

    /** An answer of another server to one of this server's requests. */
    void onResponse(String from, byte[] message) {
        Map<?, ?> response;
        try {
            response = ClusterWire.read(message);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed answer on " + from + ": " + e.getMessage());
            return;
        }
        Pending waiting = pending.get(String.valueOf(response.get("requestId")));
        if (waiting == null) {
            return;   // another server's request, or one that timed out
        }
        boolean complete;
        synchronized (waiting) {
            if (waiting.type == ClusterWire.REMOTE_FETCH) {
                if (!(response.get("sockets") instanceof List<?> sockets)) {
                    LOG.log(System.Logger.Level.WARNING, "ignored an answer to fetchSockets without a sockets list on " + from);
                    return;
                }
                waiting.results.addAll(sockets);
            } else {
                waiting.results.add(response.get("data"));
            }
            waiting.answers++;
            complete = waiting.answers >= waiting.expected;
        }
        if (complete && pending.remove(String.valueOf(response.get("requestId")), waiting)) {
            List<Object> results;
            synchronized (waiting) {
                results = Collections.unmodifiableList(new ArrayList<>(waiting.results));   // answers may be null
            }
            waiting.done.complete(results);
        }
    }

}
