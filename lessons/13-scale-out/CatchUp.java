import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import redis.clients.jedis.RedisClient;
import relaylab.realtime.RealtimeServer;

/**
 * Lesson 10's "resume without loss" across nodes: a client whose node died reconnects through the balancer to
 * another node, which never saw its session. So every node keeps the recent room messages of the whole cluster, read
 * from the Bus's own channel (where every node publishes, in one order for all), and answers
 * {@code catchUp(room, lastId, formerIds)} with what the room said from a little before the client's last message on,
 * but for the client's own messages (said by one of its former socket ids): the client skips what it has already (lesson 10's "exactly once on screen", by the message's id). Bounded as in
 * lesson 10: 1,000 messages per room, 2 minutes. Nothing to write here: the lesson's tasks are the Bus.
 */
final class CatchUp implements AutoCloseable {
    static final int KEEP = 1000;
    static final long KEEP_MILLIS = 120_000;
    /**
     * How far before the client's last message the answer starts. A node shows its own users' messages before they
     * come back over Redis, so the order a client saw can differ from the channel's by what is in flight: seconds
     * cover that, and the client drops the copies.
     */
    static final long MARGIN_MILLIS = 5_000;

    private record Kept(long at, String id, Object message, List<String> except) {
    }

    private final Map<String, Deque<Kept>> rooms = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final AutoCloseable subscription;
    private final String channel;

    /** Keeps what is published on the namespace "/" channel of the cluster {@code prefix}; answers on {@code server}. */
    CatchUp(RedisClient redis, String prefix, String node, RealtimeServer server, LongSupplier clock) {
        this.clock = clock;
        channel = prefix + "#/#";
        subscription = ScaleOutCluster.subscribe(redis, channel, node, this::keep);
        server.on("connection", socket -> socket.on("catchUp", (args, ack) -> ack.send(since(String.valueOf(args.get(0)),
                args.size() > 1 && args.get(1) != null ? String.valueOf(args.get(1)) : null,
                args.size() > 2 && args.get(2) instanceof List<?> ids ? ids.stream().map(String::valueOf).toList() : List.of()))));
    }

    private void keep(Envelope envelope) {
        if (!"message".equals(envelope.event()) || envelope.args().isEmpty()
                || !(envelope.args().get(0) instanceof Map<?, ?> message) || !(message.get("room") instanceof String room)) {
            return;
        }
        long now = clock.getAsLong();
        Deque<Kept> kept = rooms.computeIfAbsent(room, r -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(new Kept(now, String.valueOf(message.get("id")), message, envelope.except()));
            while (kept.size() > KEEP || kept.peekFirst().at() < now - KEEP_MILLIS) {
                kept.removeFirst();
            }
        }
    }

    /**
     * The kept messages of {@code room} from {@link #MARGIN_MILLIS} before the one with id {@code lastId} on, oldest
     * first; everything kept when {@code lastId} is null or not kept (too old, unknown, from another cluster). Minus
     * the client's own: those whose broadcast excepted one of its former socket ids {@code formerIds}.
     */
    List<Object> since(String room, String lastId, List<String> formerIds) {
        Deque<Kept> kept = rooms.get(room);
        if (kept == null) {
            return List.of();
        }
        synchronized (kept) {
            long from = Long.MIN_VALUE;
            for (Kept k : kept) {
                if (k.id().equals(lastId)) {
                    from = k.at() - MARGIN_MILLIS;
                }
            }
            List<Object> answer = new ArrayList<>();
            for (Kept k : kept) {
                if (k.at() >= from && k.at() >= clock.getAsLong() - KEEP_MILLIS && k.except().stream().noneMatch(formerIds::contains)) {
                    answer.add(k.message());
                }
            }
            return answer;
        }
    }

    @Override
    public void close() {
        ScaleOutCluster.closeQuietly(subscription, channel);
    }
}
