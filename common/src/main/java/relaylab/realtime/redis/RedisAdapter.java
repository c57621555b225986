package relaylab.realtime.redis;

import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import relaylab.realtime.Adapter;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeJson;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * An adapter that joins this server to a cluster of socket.io servers over Redis pub/sub, speaking the wire
 * format of the Node package {@code @socket.io/redis-adapter} 8.x: each broadcast is published, MessagePack
 * encoded as {@code [uid, {type: 2, data: [event, ...args], nsp}, {rooms, except, flags}]}, on the channel
 * {@code <key>#<nsp>#} (or {@code <key>#<nsp>#<room>#} when it targets exactly one room), and every server
 * pattern-subscribes to {@code <key>#<nsp>#*}. Java and Node servers can therefore share one Redis.
 *
 * <p>Covered: broadcasts with rooms, except and the volatile flag, in every namespace. Not covered: the
 * request/response channels ({@code fetchSockets}, {@code serverSideEmit}, remote {@code socketsJoin} and
 * {@code disconnectSockets}, broadcasts with acks): those act on this server's sockets only. Like the Node
 * adapter it stores nothing: while Redis is down, broadcasts reach this server's sockets only. Unlike some
 * clients, it subscribes again as soon as Redis is back.
 */
public final class RedisAdapter extends Adapter {
    private static final System.Logger LOG = System.getLogger(RedisAdapter.class.getName());
    /** The Node adapter's default key, the first part of every channel name. */
    public static final String DEFAULT_KEY = "socket.io";
    private static final long RETRY_MILLIS = 500;
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    private final RedisClient redis;
    private final String uid;
    private final String channel;
    private final AtomicReference<BinaryJedisPubSub> current = new AtomicReference<>();
    private final CountDownLatch firstSubscribe = new CountDownLatch(1);
    private final Thread subscriber;
    private volatile boolean closed;
    private volatile boolean publishFailing;

    /**
     * The adapter factory to give to {@code RealtimeConfig.adapter}: every namespace publishes and subscribes
     * through {@code redis} (which this adapter does not close) under the key {@code key}.
     */
    public static Function<Namespace, Adapter> factory(RedisClient redis, String key) {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(key, "key");
        return namespace -> new RedisAdapter(namespace, redis, key);
    }

    private RedisAdapter(Namespace namespace, RedisClient redis, String key) {
        super(namespace);
        this.redis = redis;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.uid = HexFormat.of().formatHex(random);
        this.channel = key + "#" + namespace.name() + "#";
        this.subscriber = new Thread(this::subscribeLoop, "redis-adapter " + channel);
        subscriber.setDaemon(true);
        subscriber.start();
        try {
            if (!firstSubscribe.await(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the Redis adapter could not subscribe to " + channel
                        + "* within 10 s; it keeps trying, broadcasts of other servers arrive once it has");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This server's id in the cluster: packets carrying it are its own and are not delivered twice. */
    public String uid() {
        return uid;
    }

    /** True while the subscription to the cluster's channels is up. */
    public boolean subscribed() {
        BinaryJedisPubSub pubSub = current.get();
        return pubSub != null && pubSub.isSubscribed();
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
            deliverLocally(new Target(strings(opts.get("rooms")), strings(opts.get("except")), null, droppable),
                    event, data.subList(1, data.size()).toArray());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a packet on " + fromChannel + ": " + e.getMessage());
        }
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<String> result = new ArrayList<>(list.size());
        for (Object item : list) {
            result.add(String.valueOf(item instanceof Double d && d == Math.rint(d) ? (Object) d.longValue() : item));
        }
        return result;
    }

    private void subscribeLoop() {
        byte[] pattern = (channel + "*").getBytes(StandardCharsets.UTF_8);
        boolean lost = false;
        while (!closed) {
            BinaryJedisPubSub pubSub = new BinaryJedisPubSub() {
                @Override
                public void onPSubscribe(byte[] p, int count) {
                    firstSubscribe.countDown();
                }

                @Override
                public void onPMessage(byte[] p, byte[] ch, byte[] message) {
                    try {
                        onPacket(new String(ch, StandardCharsets.UTF_8), message);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "could not deliver a packet from " + new String(ch, StandardCharsets.UTF_8)
                                + ": " + e, e);
                    }
                }
            };
            current.set(pubSub);
            try {
                if (lost) {
                    LOG.log(System.Logger.Level.INFO, "subscribing again to " + channel + "*");
                }
                redis.psubscribe(pubSub, pattern);
            } catch (JedisException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    LOG.log(System.Logger.Level.WARNING, "lost the Redis subscription to " + channel + "* (" + e.getMessage()
                            + "); subscribing again every " + RETRY_MILLIS + " ms until Redis is back");
                }
                lost = true;
                try {
                    Thread.sleep(RETRY_MILLIS);   // back off while Redis is down
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Unsubscribes and ends the subscriber thread; the Redis client stays open (it is the caller's). */
    @Override
    public void close() {
        closed = true;
        BinaryJedisPubSub pubSub = current.get();
        try {
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.punsubscribe();
            }
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "punsubscribe from " + channel + "* failed (" + e.getMessage() + "); ending anyway");
        }
        subscriber.interrupt();
        try {
            subscriber.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
