///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//DEPS redis.clients:jedis:8.0.2
//DEPS com.github.codemonstur:embedded-redis:1.4.4
//SOURCES ScaleOutCluster.java ScaleOutEvents.java
//FILES index.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import redis.clients.jedis.RedisClient;
import relaylab.realtime.Adapter;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeSocket;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 13: several chat servers ("nodes") act as one. Each node publishes its broadcasts on a Redis channel
 * and delivers the other nodes' broadcasts to its own sockets; nodes announce themselves with a heartbeat; a
 * sticky load balancer keeps each long-polling session on the node that knows it.
 */
@Lesson(number = 13, title = "Scale out",
        summary = "Several chat nodes behind a sticky load balancer, sharing broadcasts and rooms over Redis"
                + " pub/sub, with a heartbeat that knows which nodes are alive.")
public class ScaleOut {
    /** The cookie that carries a session's node, {@code <sid>.<node>}: the balancer reads it. */
    static final String COOKIE = "relaylab_node";

    final String node;
    final RedisClient redis;
    /** Every key and channel of this cluster starts with it (tests give each test its own). */
    final String prefix;
    final long heartbeatMillis;

    ScaleOut(String node, RedisClient redis, String prefix, long heartbeatMillis) {
        this.node = node;
        this.redis = redis;
        this.prefix = prefix;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Each namespace gets a Bus as its adapter; the page is served from beside this file. */
    void configure(RealtimeConfig config) {
        config.staticFiles(ScaleOut.class, "/").adapter(Bus::new).routeCookie(COOKIE, node);
    }

    /** The adapter of one namespace: every broadcast passes through {@link #broadcast}. */
    final class Bus extends Adapter {
        final String channel;
        private final AutoCloseable subscription;

        Bus(Namespace namespace) {
            super(namespace);
            channel = prefix + "#" + namespace.name() + "#";
            subscription = ScaleOutCluster.subscribe(redis, channel, node, this::onMessage);
        }

        @Task(number = 1, title = "Publish each local broadcast", hint = "redis.publish(channel, ScaleOutCluster.json(new"
                + " Envelope(node, event, List.of(args), target.rooms(), target.exceptWithSender()))); deliverLocally(...)")
        @Override
        public int broadcast(Target target, String event, Object[] args) {
            redis.publish(channel, ScaleOutCluster.json(
                    new Envelope(node, event, List.of(args), target.rooms(), target.exceptWithSender())));
            return deliverLocally(target, event, args);
        }

        @Task(number = 2, title = "Deliver what other nodes publish", hint = "Skip this node's own envelopes; else"
                + " deliverLocally(new Target(e.rooms(), e.except(), null, false), e.event(), e.args().toArray())")
        void onMessage(Envelope e) {
            if (node.equals(e.node())) {
                return;   // delivered locally already, when it was published
            }
            deliverLocally(new Target(e.rooms(), e.except(), null, false), e.event(), e.args().toArray());
        }

        @Override
        public void close() {
            ScaleOutCluster.closeQuietly(subscription, channel);
        }
    }

    @Task(number = 3, title = "Rooms across nodes", hint = "join: leave the old room, join the new, keep it in socket.data();"
            + " say: socket.to(room).emit(\"message\", new Message(node, room, text))")
    void onConnection(RealtimeSocket socket) {
        socket.emit("welcome", node);
        socket.on("join", (args, ack) -> {
            String room = String.valueOf(args.get(0));
            if (socket.data().get("room") instanceof String old) {
                socket.leave(old);
            }
            socket.join(room);
            socket.data().put("room", room);
            ack.send(room);
        });
        socket.on("say", args -> {
            if (socket.data().get("room") instanceof String room) {
                socket.to(room).emit("message", new Message(node, room, String.valueOf(args.get(0))));
            }
        });
    }

    @Task(number = 4, title = "Know the cluster", hint = "zadd(prefix + \":nodes\", now, node), zremrangeByScore up to"
            + " now - 2 heartbeats; live: zrangeByScore from \"(\" + (now - 2 heartbeats) to \"+inf\"")
    void heartbeat(long nowMillis) {
        redis.zadd(prefix + ":nodes", nowMillis, node);
        redis.zremrangeByScore(prefix + ":nodes", "-inf", String.valueOf(nowMillis - 2 * heartbeatMillis));
    }

    /** The nodes whose last heartbeat is less than two heartbeats old at {@code nowMillis}, by name. */
    List<String> liveNodes(long nowMillis) {
        return redis.zrangeByScore(prefix + ":nodes", "(" + (nowMillis - 2 * heartbeatMillis), "+inf").stream().sorted().toList();
    }

    @Task(number = 5, title = "Sticky sessions", hint = "balancer.addSessionCookieName(COOKIE), then addHost(uri, route)"
            + " for each node: the route is the part of the cookie after the dot")
    static void sticky(LoadBalancingProxyClient balancer, Map<String, URI> nodes) {
        balancer.addSessionCookieName(COOKIE);
        nodes.forEach((route, uri) -> balancer.addHost(uri, route));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScaleOutCluster.Main()).execute(args));
    }
}
