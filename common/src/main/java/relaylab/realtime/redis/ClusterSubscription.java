package relaylab.realtime.redis;

import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The subscriptions of one {@link RedisAdapter}: the pattern {@code <key>#<nsp>#*} (broadcasts) and the request,
 * response and own response channels, on one connection of its own taken from the pool and never given back: it
 * ends by being disconnected ({@link #close} or Redis going away), so no reply of a subscription is ever left
 * unread on a connection someone else uses next. Subscribes again every {@code RETRY_MILLIS} until closed.
 */
final class ClusterSubscription {
    private static final System.Logger LOG = System.getLogger(RedisAdapter.class.getName());
    private static final long RETRY_MILLIS = 500;

    private final RedisClient redis;
    private final String pattern;
    private final String[] channels;
    private final BiConsumer<String, byte[]> onPattern;
    private final BiConsumer<String, byte[]> onChannel;
    private final AtomicReference<BinaryJedisPubSub> current = new AtomicReference<>();
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private final CountDownLatch firstSubscribe = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    /** Starts subscribing; {@code onPattern} gets broadcasts (channel, message), {@code onChannel} requests and answers. */
    ClusterSubscription(RedisClient redis, String pattern, String[] channels, BiConsumer<String, byte[]> onPattern,
                        BiConsumer<String, byte[]> onChannel) {
        this.redis = redis;
        this.pattern = pattern;
        this.channels = channels.clone();
        this.onPattern = onPattern;
        this.onChannel = onChannel;
        this.thread = new Thread(this::loop, "redis-adapter " + pattern);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the pattern and every channel are subscribed the first time; false when that took longer. */
    boolean awaitSubscribed(long seconds) throws InterruptedException {
        return firstSubscribe.await(seconds, TimeUnit.SECONDS);
    }

    boolean subscribed() {
        BinaryJedisPubSub pubSub = current.get();
        return pubSub != null && pubSub.isSubscribed();
    }

    private void loop() {
        boolean lost = false;
        while (!closed) {
            BinaryJedisPubSub pubSub = new BinaryJedisPubSub() {
                @Override
                public void onPSubscribe(byte[] p, int count) {
                    byte[][] names = new byte[channels.length][];
                    for (int i = 0; i < names.length; i++) {
                        names[i] = channels[i].getBytes(StandardCharsets.UTF_8);
                    }
                    subscribe(names);   // on the same connection
                }

                @Override
                public void onSubscribe(byte[] ch, int count) {
                    if (count == channels.length + 1) {
                        firstSubscribe.countDown();
                    }
                }

                @Override
                public void onMessage(byte[] ch, byte[] message) {
                    deliver(onChannel, ch, message);
                }

                @Override
                public void onPMessage(byte[] p, byte[] ch, byte[] message) {
                    deliver(onPattern, ch, message);
                }
            };
            current.set(pubSub);
            Connection own = null;
            try {
                if (lost) {
                    LOG.log(System.Logger.Level.INFO, "subscribing again to " + pattern);
                }
                own = redis.getPool().getResource();
                connection.set(own);
                if (closed) {
                    return;
                }
                pubSub.proceedWithPatterns(own, pattern.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    // Redis gone (JedisException), or the caller closed the Redis client: say which, keep trying
                    LOG.log(System.Logger.Level.WARNING, "lost the Redis subscription to " + pattern + " ("
                            + (e instanceof JedisException ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage()
                            + "); subscribing again every " + RETRY_MILLIS + " ms until Redis is back");
                }
                lost = true;
                try {
                    Thread.sleep(RETRY_MILLIS);   // back off while Redis is down
                } catch (InterruptedException stop) {
                    return;
                }
            } finally {
                if (own != null) {
                    own.setBroken();   // destroyed by the pool, never reused
                    own.close();
                }
            }
        }
    }

    private static void deliver(BiConsumer<String, byte[]> to, byte[] ch, byte[] message) {
        String from = new String(ch, StandardCharsets.UTF_8);
        try {
            to.accept(from, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not handle a message on " + from + ": " + e, e);
        }
    }

    /** Disconnects the subscription's connection (dropped from the pool) and ends the thread. */
    void close() {
        closed = true;
        Connection own = connection.get();
        if (own != null) {
            own.setBroken();
            try {
                own.forceDisconnect();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "disconnecting the subscription to " + pattern + " failed (" + e
                        + "); ending anyway");
            }
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
