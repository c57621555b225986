package relaylab.realtime.redis;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import relaylab.realtime.Ack;
import relaylab.realtime.Adapter;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.RemoteSocket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An adapter that joins this server to a cluster of socket.io servers over Redis pub/sub, speaking the wire
 * format of the Node package {@code @socket.io/redis-adapter} 8.x: each broadcast is published, MessagePack
 * encoded as {@code [uid, {type: 2, data: [event, ...args], nsp}, {rooms, except, flags}]}, on the channel
 * {@code <key>#<nsp>#} (or {@code <key>#<nsp>#<room>#} when it targets exactly one room), and every server
 * pattern-subscribes to {@code <key>#<nsp>#*}. Requests between servers go as JSON on {@code <key>-request#<nsp>#},
 * answers on {@code <key>-response#<nsp>#}; a request that expects answers counts the servers with
 * {@code PUBSUB NUMSUB} on the request channel, as the Node adapter does. Java and Node servers can therefore
 * share one Redis.
 *
 * <p>Covered: broadcasts with rooms, except and the volatile flag; {@code fetchSockets} (id, handshake, rooms,
 * data of every server's sockets); {@code socketsJoin}, {@code socketsLeave} and {@code disconnectSockets} on every
 * server (also through a {@link relaylab.realtime.RemoteSocket}); {@code serverSideEmit} with and without
 * acknowledgement, both ways; answers to the older {@code allSockets}/{@code allRooms} requests and to the per-socket
 * remote join/leave/disconnect. A request waits at most {@code requestsTimeout} (default 5 s, like Node's) and then
 * fails with a TimeoutException saying how many servers answered. Not covered: broadcasts with acknowledgements
 * (a Node server's {@code io.timeout(t).emitWithAck} does not reach this server's sockets; logged once),
 * {@code disconnectSockets(true)} closes only the namespace, binary arguments in server-side emits (they travel as
 * JSON). Like the Node adapter it stores nothing: while Redis is down, broadcasts reach this server's sockets only
 * and requests fail at once. Unlike some clients, it subscribes again as soon as Redis is back.
 */
public final class RedisAdapter extends Adapter {
    private static final System.Logger LOG = System.getLogger(RedisAdapter.class.getName());
    /** The Node adapter's default key, the first part of every channel name. */
    public static final String DEFAULT_KEY = "socket.io";
    /** How long a request waits for the other servers unless the factory says otherwise: 5 s, as in the Node adapter. */
    public static final Duration DEFAULT_REQUESTS_TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    private final RedisClient redis;
    private final String uid;
    private final String channel;
    private final String requestChannel;
    private final String responseChannel;
        private final ClusterRequests requests;
    private final AtomicBoolean ackBroadcastLogged = new AtomicBoolean();
    private final ClusterSubscription subscription;
    private volatile boolean publishFailing;

    /**
     * The adapter factory to give to {@code RealtimeConfig.adapter}: every namespace publishes and subscribes
     * through {@code redis} (which this adapter does not close) under the key {@code key}.
     */
    public static Function<Namespace, Adapter> factory(RedisClient redis, String key) {
        return factory(redis, key, DEFAULT_REQUESTS_TIMEOUT);
    }

    /**
     * Like {@link #factory(RedisClient, String)}, with how long a request to the other servers ({@code fetchSockets},
     * {@code serverSideEmitWithAck}) waits for their answers before it fails (the Node adapter's {@code requestsTimeout}).
     */
    public static Function<Namespace, Adapter> factory(RedisClient redis, String key, Duration requestsTimeout) {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(key, "key");
        if (requestsTimeout.isNegative() || requestsTimeout.isZero()) {
            throw new IllegalArgumentException("requestsTimeout must be positive, got " + requestsTimeout);
        }
        return namespace -> new RedisAdapter(namespace, redis, key, requestsTimeout);
    }

    private RedisAdapter(Namespace namespace, RedisClient redis, String key, Duration requestsTimeout) {
        super(namespace);
        this.redis = redis;
        this.uid = randomId();
        this.channel = key + "#" + namespace.name() + "#";
        this.requestChannel = key + "-request#" + namespace.name() + "#";
        this.responseChannel = key + "-response#" + namespace.name() + "#";
        this.requests = new ClusterRequests(redis, uid, requestChannel, requestsTimeout);
        this.subscription = new ClusterSubscription(redis, channel + "*",
                new String[] {requestChannel, responseChannel, responseChannel + uid + "#"}, this::onPacket, this::onRequestOrAnswer);
        try {
            if (!subscription.awaitSubscribed(10)) {
                LOG.log(System.Logger.Level.WARNING, "the Redis adapter could not subscribe to " + channel
                        + "* within 10 s; it keeps trying, broadcasts of other servers arrive once it has");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String randomId() {
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** This server's id in the cluster: packets carrying it are its own and are not delivered twice. */
    public String uid() {
        return uid;
    }

    /** True while the subscription to the cluster's channels is up. */
    public boolean subscribed() {
        return subscription.subscribed();
    }

    private void onRequestOrAnswer(String from, byte[] message) {
        if (from.startsWith(responseChannel)) {
            requests.onResponse(from, message);
        } else if (from.equals(requestChannel)) {
            onRequest(from, message);
        }
    }

    @Override
    public int broadcast(Target target, String event, Object[] args) {
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        for (Object arg : args) {
            data.add(arg instanceof byte[] ? arg : RealtimeJson.mapper().convertValue(arg, Object.class));
        }
        Map<String, Object> packet = new LinkedHashMap<>();
        packet.put("type", EVENT);
        packet.put("data", data);
        packet.put("nsp", namespace.name());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", target.rooms());
        opts.put("except", target.exceptWithSender());
        opts.put("flags", target.droppable() ? Map.of("volatile", true) : Map.of());
        String to = target.rooms().size() == 1 ? channel + target.rooms().get(0) + "#" : channel;
        try {
            redis.publish(to.getBytes(StandardCharsets.UTF_8), MsgPack.encode(List.of(uid, packet, opts)));
            publishFailing = false;
        } catch (JedisException e) {
            if (!publishFailing) {
                publishFailing = true;
                LOG.log(System.Logger.Level.WARNING, "cannot publish to Redis (" + e.getMessage() + "): broadcasts reach"
                        + " this server's sockets only until Redis is back");
            }
        }
        return deliverLocally(target, event, args);
    }

    /** Delivers a packet another server published; ignores this server's own, other namespaces and bad ones. */
    void onPacket(String fromChannel, byte[] message) {
        Object decoded;
        try {
            decoded = MsgPack.decode(message);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a message on " + fromChannel + ": " + e.getMessage());
            return;
        }
        if (!(decoded instanceof List<?> parts) || parts.size() < 3 || !(parts.get(1) instanceof Map<?, ?> packet)
                || !(parts.get(2) instanceof Map<?, ?> opts)) {
            LOG.log(System.Logger.Level.WARNING, "ignored a message on " + fromChannel + " that is not [uid, packet, opts]");
            return;
        }
        if (uid.equals(parts.get(0))) {
            return;   // our own broadcast, delivered locally when it was sent
        }
        Object nsp = packet.get("nsp") == null ? "/" : packet.get("nsp");
        if (!namespace.name().equals(nsp)) {
            return;
        }
        Object type = packet.get("type");
        if (!(type instanceof Number n) || n.intValue() != EVENT && n.intValue() != BINARY_EVENT
                || !(packet.get("data") instanceof List<?> data) || data.isEmpty() || !(data.get(0) instanceof String event)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ignored a packet on " + fromChannel + " that is not an event: " + packet);
            return;
        }
        boolean droppable = opts.get("flags") instanceof Map<?, ?> flags && Boolean.TRUE.equals(flags.get("volatile"));
        try {
            deliverLocally(new Target(ClusterWire.strings(opts.get("rooms")), ClusterWire.strings(opts.get("except")), null, droppable),
                    event, data.subList(1, data.size()).toArray());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a packet on " + fromChannel + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ requests to the other servers

    @Override
    public CompletableFuture<List<RemoteSocket>> fetchClusterSockets(Target target) {
        List<Object> local = new ArrayList<>(super.fetchClusterSockets(target).join());
        Map<String, Object> request = requests.request(ClusterWire.REMOTE_FETCH);
        request.put("opts", ClusterRequests.opts(target));
        return requests.ask(request, ClusterWire.REMOTE_FETCH, "fetchSockets", local, 0).thenApply(all -> {
            List<RemoteSocket> sockets = new ArrayList<>(all.size());
            for (Object item : all) {
                sockets.add(item instanceof RemoteSocket socket ? socket : remote(item));
            }
            return sockets;
        });
    }

    @Override
    public void serverSideEmit(String event, Object[] args) {
        Map<String, Object> request = requests.request(ClusterWire.SERVER_SIDE_EMIT);
        request.put("data", ClusterRequests.data(event, args));
        requests.tell(request, "serverSideEmit('" + event + "')");
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmitWithAck(String event, Object[] args) {
        Map<String, Object> request = requests.request(ClusterWire.SERVER_SIDE_EMIT);
        request.put("data", ClusterRequests.data(event, args));
        return requests.ask(request, ClusterWire.SERVER_SIDE_EMIT, "serverSideEmitWithAck('" + event + "')", List.of(), 1);
    }

    @Override
    public void addSockets(Target target, String room) {
        super.addSockets(target, room);
        tellOthers(ClusterWire.REMOTE_JOIN, target, "rooms", List.of(room), "socketsJoin");
    }

    @Override
    public void delSockets(Target target, String room) {
        super.delSockets(target, room);
        tellOthers(ClusterWire.REMOTE_LEAVE, target, "rooms", List.of(room), "socketsLeave");
    }

    @Override
    public void disconnectSockets(Target target) {
        super.disconnectSockets(target);
        tellOthers(ClusterWire.REMOTE_DISCONNECT, target, "close", false, "disconnectSockets");
    }

    /** Publishes a request no one answers: the other servers apply it to their sockets (this one already did). */
    private void tellOthers(int type, Target target, String field, Object value, String what) {
        Map<String, Object> request = requests.request(type);
        request.put("opts", ClusterRequests.opts(target));
        request.put(field, value);
        requests.tell(request, what);
    }

    private RemoteSocket remote(Object described) {
        Map<?, ?> s = described instanceof Map<?, ?> m ? m : Map.of();
        return remoteSocket(ClusterWire.string(s.get("id")), ClusterWire.handshake(s.get("handshake")),
                ClusterWire.strings(s.get("rooms")), ClusterWire.data(s.get("data")));
    }

    // ------------------------------------------------------------------ requests from the other servers

    /** A request another server (or this one) published on the request channel. */
    void onRequest(String from, byte[] message) {
        Map<?, ?> request;
        try {
            request = ClusterWire.read(message);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed request on " + from + ": " + e.getMessage());
            return;
        }
        boolean own = uid.equals(request.get("uid"));
        String requestId = ClusterWire.string(request.get("requestId"));
        int type = ClusterWire.type(request);
        Target target = request.get("opts") instanceof Map<?, ?> opts
                ? new Target(ClusterWire.strings(opts.get("rooms")), ClusterWire.strings(opts.get("except")), null, false) : null;
        switch (type) {
            case ClusterWire.SOCKETS, ClusterWire.REMOTE_FETCH, ClusterWire.ALL_ROOMS -> {
                if (own || requestId == null || requests.waitingFor(requestId)) {
                    return;   // our own request: this server's answer is already counted
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("requestId", requestId);
                if (type == ClusterWire.ALL_ROOMS) {
                    Set<String> rooms = new LinkedHashSet<>(namespace.rooms());
                    namespace.sockets().forEach(socket -> rooms.add(socket.id()));
                    answer.put("rooms", List.copyOf(rooms));
                } else {
                    Target wanted = target != null ? target
                            : new Target(ClusterWire.strings(request.get("rooms")), List.of(), null, false);
                    List<Object> sockets = new ArrayList<>();
                    boolean secure = namespace.server().url().startsWith("https");
                    for (RealtimeSocket socket : fetchSockets(wanted)) {
                        sockets.add(type == ClusterWire.SOCKETS ? socket.id() : ClusterWire.describe(socket, secure));
                    }
                    answer.put("sockets", sockets);
                }
                requests.publish(responseChannel, ClusterWire.json(answer), "an answer to " + from);
            }
            case ClusterWire.REMOTE_JOIN, ClusterWire.REMOTE_LEAVE, ClusterWire.REMOTE_DISCONNECT -> {
                if (own) {
                    return;   // applied here when it was sent
                }
                if (target != null) {
                    List<String> rooms = ClusterWire.strings(request.get("rooms"));
                    for (String room : rooms) {
                        if (type == ClusterWire.REMOTE_JOIN) {
                            super.addSockets(target, room);
                        } else if (type == ClusterWire.REMOTE_LEAVE) {
                            super.delSockets(target, room);
                        }
                    }
                    if (type == ClusterWire.REMOTE_DISCONNECT) {
                        super.disconnectSockets(target);
                    }
                    return;
                }
                // the older per-socket form: {sid, room}, answered when the socket is here
                RealtimeSocket socket = namespace.socket(String.valueOf(request.get("sid")));
                if (socket == null) {
                    return;
                }
                String room = ClusterWire.string(request.get("room"));
                if (type == ClusterWire.REMOTE_JOIN && room != null) {
                    socket.join(room);
                } else if (type == ClusterWire.REMOTE_LEAVE && room != null) {
                    socket.leave(room);
                } else if (type == ClusterWire.REMOTE_DISCONNECT) {
                    socket.disconnect();
                }
                requests.publish(responseChannel, ClusterWire.json(Map.of("requestId", String.valueOf(requestId))), "an answer to " + from);
            }
            case ClusterWire.SERVER_SIDE_EMIT -> {
                if (own) {
                    return;
                }
                if (!(request.get("data") instanceof List<?> data) || data.isEmpty() || !(data.get(0) instanceof String event)) {
                    LOG.log(System.Logger.Level.WARNING, "ignored a server-side emit without an event name on " + from);
                    return;
                }
                receiveServerSideEmit(event, new ArrayList<>(data.subList(1, data.size())),
                        requestId == null ? Ack.NONE : answerOnce(requestId, event));
            }
            case ClusterWire.BROADCAST -> {
                if (!own && ackBroadcastLogged.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "server " + request.get("uid") + " broadcast with acknowledgements"
                            + " (emitWithAck to many): RedisAdapter does not support that yet, so this server's sockets do not"
                            + " get such broadcasts (logged once)");
                }
            }
            default -> LOG.log(System.Logger.Level.DEBUG, () -> "ignored a request of unknown type " + type + " on " + from);
        }
    }

    /** The ack of a server-side emit: the first call publishes its first argument as this server's answer. */
    private Ack answerOnce(String requestId, String event) {
        AtomicBoolean sent = new AtomicBoolean();
        return args -> {
            if (sent.compareAndSet(false, true)) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("type", ClusterWire.SERVER_SIDE_EMIT);
                answer.put("requestId", requestId);
                answer.put("data", args.length == 0 ? null : RealtimeJson.mapper().convertValue(args[0], Object.class));
                requests.publish(responseChannel, ClusterWire.json(answer), "the answer to the server-side emit '" + event + "'");
            }
        };
    }

    /**
     * Ends the subscription (its connection is disconnected and dropped from the pool), fails the requests still
     * waiting and ends the subscriber thread; the Redis client stays open (it is the caller's).
     */
    @Override
    public void close() {
        subscription.close();
        requests.failAll();
    }
}
