package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AdapterTest {
    /** Records what passes through the seam, then does the default thing. */
    static final class Recording extends Adapter {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();
        static final AtomicInteger CLOSED = new AtomicInteger();

        Recording(Namespace namespace) {
            super(namespace);
        }

        @Override
        public int broadcast(Target target, String event, Object[] args) {
            if (!event.startsWith("relaylab:")) {
                CALLS.add("broadcast " + event + " rooms=" + target.rooms() + " except=" + target.exceptWithSender()
                        + (target.droppable() ? " volatile" : ""));
            }
            return super.broadcast(target, event, args);
        }

        @Override
        public void addSockets(Target target, String room) {
            CALLS.add("join " + room + " rooms=" + target.rooms());
            super.addSockets(target, room);
        }

        @Override
        public void delSockets(Target target, String room) {
            CALLS.add("leave " + room + " rooms=" + target.rooms());
            super.delSockets(target, room);
        }

        @Override
        public void disconnectSockets(Target target) {
            CALLS.add("disconnect rooms=" + target.rooms());
            super.disconnectSockets(target);
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    @Test
    @DisplayName("every emit to many sockets, socketsJoin/Leave and disconnectSockets pass through the namespace's adapter, which still delivers locally")
    void everyFanOutGoesThroughTheAdapter() {
        Recording.CALLS.clear();
        int closedBefore = Recording.CLOSED.get();
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.adapter(Recording::new), server -> server.on("connection", socket -> {
            socket.on("shout", args -> socket.broadcast().emit("heard", args.get(0)));
        }))) {
            TestClient a = fx.client();
            TestClient b = fx.client();
            String aId = a.id();
            fx.socketOf(a).join("red");
            fx.server().emit("all", 1);
            fx.server().to("red").emit("red", 2);
            fx.server().except("red").volatileEmit("notRed", 3);
            a.emit("shout", "hi");
            assertThat(a.await("all")).containsExactly(1);
            assertThat(b.await("all")).containsExactly(1);
            assertThat(a.await("red")).containsExactly(2);
            assertThat(b.await("notRed")).containsExactly(3);
            assertThat(b.await("heard")).containsExactly("hi");
            fx.server().to("red").socketsJoin("blue");
            assertThat(fx.socketOf(a).inRoom("blue")).as("a (in red) was moved into blue too").isTrue();
            fx.server().to("blue").socketsLeave("red");
            assertThat(fx.socketOf(a).inRoom("red")).as("a left red").isFalse();
            fx.server().to("blue").disconnectSockets();
            a.awaitDisconnected(RealtimeFixture.WAIT);
            fx.sync();
            a.assertNotReceived("notRed");
            a.assertNotReceived("heard");
            assertThat(Recording.CALLS).containsExactly(
                    "broadcast all rooms=[] except=[]",
                    "broadcast red rooms=[red] except=[]",
                    "broadcast notRed rooms=[] except=[red] volatile",
                    "broadcast heard rooms=[] except=[" + aId + "]",
                    "join blue rooms=[red]",
                    "leave red rooms=[blue]",
                    "disconnect rooms=[blue]");
        }
        assertThat(Recording.CLOSED.get() - closedBefore).as("the adapter of the one namespace was closed on stop").isEqualTo(1);
    }

    /** Two servers joined in memory: each broadcast of one is also delivered locally by the other. */
    static final class Bridge extends Adapter {
        static final Map<String, Bridge> BY_SERVER = new ConcurrentHashMap<>();
        final String name;

        Bridge(Namespace namespace, String name) {
            super(namespace);
            this.name = name;
            BY_SERVER.put(name, this);
        }

        @Override
        public int broadcast(Target target, String event, Object[] args) {
            BY_SERVER.forEach((other, adapter) -> {
                if (!other.equals(name)) {
                    adapter.deliverLocally(new Target(target.rooms(), target.exceptWithSender(), null, false), event, args);
                }
            });
            return super.broadcast(target, event, args);
        }
    }

    @Test
    @DisplayName("an adapter can deliver another server's broadcast to its own sockets, with rooms and except respected")
    void adapterDeliversAnotherServersBroadcast() {
        Bridge.BY_SERVER.clear();
        try (RealtimeFixture one = RealtimeFixture.start(cfg -> cfg.adapter(ns -> new Bridge(ns, "one")), s -> { });
             RealtimeFixture two = RealtimeFixture.start(cfg -> cfg.adapter(ns -> new Bridge(ns, "two")), s -> { })) {
            TestClient a = one.client();
            TestClient b = two.client();
            TestClient c = two.client();
            two.socketOf(b).join("red");
            two.socketOf(c).join("muted");
            one.server().emit("all", "x");
            one.server().to("red").emit("red", "y");
            one.server().except("muted").emit("loud", "z");
            assertThat(a.await("all")).containsExactly("x");
            assertThat(b.await("all")).containsExactly("x");
            assertThat(c.await("all")).containsExactly("x");
            assertThat(b.await("red")).containsExactly("y");
            assertThat(b.await("loud")).containsExactly("z");
            two.sync();
            c.assertNotReceived("red");
            c.assertNotReceived("loud");
            assertThat(c.received("all")).as("one copy only").hasSize(1);
        }
    }
}
