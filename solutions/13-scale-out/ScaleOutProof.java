import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import io.undertow.Undertow;
import relaylab.realtime.client.RealtimeClient;
import relaylab.store.LessonRedis;

/**
 * What {@code --prove} runs: real node processes behind the sticky balancer, many clients in random rooms, a
 * thousand room messages, one node killed with SIGKILL half-way; then it counts, for every client, what it
 * received against what was meant for it. Nothing to write here: it proves what your tasks built.
 */
final class ScaleOutProof {
    static final Duration WAIT = Duration.ofSeconds(60);

    private ScaleOutProof() {
    }

    /** How big a proof run is; {@code kill}: SIGKILL the last node when half of the broadcasts are sent. */
    record Size(int nodes, int clientsPerNode, int rooms, int broadcasts, int rate, boolean kill, long seed) {
    }

    /** What a run found: the lines of its report, and its problems (none: proven). */
    record Report(List<String> lines, List<String> problems) {
        boolean proven() {
            return problems.isEmpty();
        }
    }

    /** One message said by a user: its text is its id ({@code m<i>}). */
    private record Said(String text, User sender, String room, int phase, boolean finalRound) {
    }

    /**
     * A client through the balancer, in one room: the nodes it landed on, how often each message came live, and what
     * it caught up after a move (lesson 10: it asks its new node for what followed its last message, skipping copies).
     */
    static final class User implements AutoCloseable {
        final String room;
        final RealtimeClient client;
        final List<String> landedOn = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        final Set<String> recovered = ConcurrentHashMap.newKeySet();
        final AtomicInteger disconnects = new AtomicInteger();
        volatile List<?> liveNodes = List.of();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final List<String> socketIds = new CopyOnWriteArrayList<>();
        private volatile String lastId;
        private volatile CompletableFuture<Object> joined = new CompletableFuture<>();

        User(String url, String room) {
            this.room = room;
            client = RealtimeClient.connect(url, o -> o.reconnectionDelay(Duration.ofMillis(100)).reconnectionDelayMax(Duration.ofSeconds(1)));
            client.on("welcome", args -> landedOn.add(String.valueOf(args.get(0))));
            client.on("nodes", args -> liveNodes = (List<?>) args.get(0));
            client.on("message", args -> {
                Map<?, ?> m = (Map<?, ?>) args.get(0);
                received.computeIfAbsent(String.valueOf(m.get("text")), t -> new AtomicInteger()).incrementAndGet();
                seen.add(String.valueOf(m.get("id")));
                lastId = String.valueOf(m.get("id"));
            });
            client.onDisconnect(reason -> {
                disconnects.incrementAndGet();
                joined = new CompletableFuture<>();
            });
            client.onConnect(() -> {
                CompletableFuture<Object> done = joined;
                boolean again = !socketIds.isEmpty();
                socketIds.add(client.id());
                client.emitWithAck("join", WAIT, room).thenCompose(ack -> again
                        ? client.emitWithAck("catchUp", WAIT, room, lastId, List.copyOf(socketIds)) : CompletableFuture.completedFuture(null))
                        .whenComplete((missed, error) -> {
                            if (error != null) {
                                done.completeExceptionally(error);
                                return;
                            }
                            if (missed != null) {
                                for (Object o : (List<?>) missed.get(0)) {
                                    Map<?, ?> m = (Map<?, ?>) o;
                                    if (seen.add(String.valueOf(m.get("id")))) {
                                        recovered.add(String.valueOf(m.get("text")));
                                    }
                                }
                            }
                            done.complete(missed);
                        });
            });
        }

        /** True once connected and in its room (again, after a reconnection). */
        boolean joined() {
            return joined.isDone() && !joined.isCompletedExceptionally() && client.connected();
        }

        /** The node of its current (or last) connection. */
        String node() {
            return landedOn.isEmpty() ? "?" : landedOn.get(landedOn.size() - 1);
        }

        int count(String text) {
            AtomicInteger n = received.get(text);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Runs the proof on {@code redis} (its keys deleted afterwards); prints each line of the report to {@code out}. */
    static Report prove(LessonRedis redis, Size size, Consumer<String> out) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Consumer<String> say = line -> {
            lines.add(line);
            out.accept(line);
        };
        String prefix = "relaylab13-proof-" + UUID.randomUUID().toString().substring(0, 8);
        List<NodeProcess> nodes = new ArrayList<>();
        List<User> users = new ArrayList<>();
        Undertow balancer = null;
        try {
            Map<String, URI> hosts = new LinkedHashMap<>();
            for (int i = 1; i <= size.nodes(); i++) {
                nodes.add(new NodeProcess("node" + i, 0, redis.url(), prefix, true, line -> { }));
            }
            for (NodeProcess node : nodes) {
                hosts.put(node.name, URI.create("http://127.0.0.1:" + node.awaitPort(WAIT)));
            }
            balancer = ScaleOutCluster.balancer(0, hosts, true);
            String url = "http://127.0.0.1:" + ScaleOutCluster.port(balancer);
            Random random = new Random(size.seed());
            for (int i = 0; i < size.nodes() * size.clientsPerNode(); i++) {
                users.add(new User(url, "room" + random.nextInt(size.rooms())));
            }
            await("every client connected through the balancer and joined its room", () -> users.stream().allMatch(User::joined));
            Map<String, Long> perNode = users.stream().collect(Collectors.groupingBy(User::node, TreeMap::new, Collectors.counting()));
            say.accept(String.format("%d nodes, %d clients through the sticky balancer in %d rooms; landed: %s", size.nodes(),
                    users.size(), size.rooms(), perNode));
            if (perNode.size() < size.nodes()) {
                problems.add("the balancer put clients on " + perNode.keySet() + " only, not on every node");
            }

            long pause = TimeUnit.SECONDS.toNanos(1) / Math.max(1, size.rate());
            List<Said> said = new ArrayList<>();
            send(users, random, said, 1, size.broadcasts(), pause, false, () -> { });
            check(users, List.of(), said, 1, null, say, problems);
            if (!size.kill()) {
                return finish(lines, problems, say);
            }
            NodeProcess victim = nodes.get(nodes.size() - 1);
            List<User> moved = new ArrayList<>();
            long[] killedAt = {0};
            send(users, random, said, 2, size.broadcasts(), pause, false, () -> {
                users.stream().filter(u -> u.node().equals(victim.name)).forEach(moved::add);
                try {
                    victim.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while killing " + victim.name, e);
                }
                say.accept(victim.name + " killed with SIGKILL half-way through run 2; its " + moved.size() + " clients move");
                killedAt[0] = System.nanoTime();
            });
            List<String> survivors = nodes.stream().filter(n -> n != victim).map(n -> n.name).sorted().toList();
            await("the killed node's clients reconnected through the balancer to another node and rejoined",
                    () -> moved.stream().allMatch(u -> u.joined() && !u.node().equals(victim.name)));
            say.accept(String.format("%d clients of %s reconnected through the balancer and rejoined their rooms within %.1f s of"
                    + " the kill: %s", moved.size(), victim.name, (System.nanoTime() - killedAt[0]) / 1e9,
                    moved.stream().collect(Collectors.groupingBy(User::node, TreeMap::new, Collectors.counting()))));
            await("every client shows the live nodes without " + victim.name,
                    () -> users.stream().allMatch(u -> survivors.equals(u.liveNodes)));
            // then everyone, moved or not, must get each of these
            send(users, random, said, 2, Math.max(10, size.broadcasts() / 10), pause, true, () -> { });
            check(users, moved, said, 2, victim.name, say, problems);
        } finally {
            for (User u : users) {
                u.close();
            }
            if (balancer != null) {
                balancer.stop();
            }
            for (NodeProcess node : nodes) {
                node.close();
            }
            redis.deleteKeys(prefix);
        }
        return finish(lines, problems, say);
    }

    private static Report finish(List<String> lines, List<String> problems, Consumer<String> say) {
        say.accept(problems.isEmpty() ? "PROVEN" : "NOT PROVEN:\n  " + String.join("\n  ", problems));
        return new Report(lines, problems);
    }

    /** Makes {@code count} random users say one message each at a steady rate; {@code atHalf} runs half-way. */
    private static void send(List<User> users, Random random, List<Said> said, int phase, int count, long pause,
            boolean finalRound, Runnable atHalf) {
        for (int i = 0; i < count; i++) {
            if (i == count / 2) {
                atHalf.run();
            }
            User sender = users.get(random.nextInt(users.size()));
            String text = "m" + said.size();
            said.add(new Said(text, sender, sender.room, phase, finalRound));
            sender.client.emit("say", text);
            LockSupport.parkNanos(pause);   // a steady rate, not a wait for an event
        }
    }

    /** Counts, for every user, what it received against what was meant for it. */
    private static void check(List<User> users, List<User> moved, List<Said> said, int phase, String victim,
            Consumer<String> say, List<String> problems) throws InterruptedException {
        Set<User> movers = Set.copyOf(moved);
        // must arrive: said by a client of a surviving node, to a client that never moved; or said after the move
        Map<User, List<String>> must = new LinkedHashMap<>();
        Map<User, Set<String>> meant = new LinkedHashMap<>();
        for (User u : users) {
            must.put(u, new ArrayList<>());
            meant.put(u, new HashSet<>());
        }
        List<Said> fromMovers = new ArrayList<>();
        List<Said> ofPhase = said.stream().filter(s -> s.phase() == phase).toList();
        for (Said s : said) {
            for (User u : users) {
                if (u != s.sender() && u.room.equals(s.room())) {
                    meant.get(u).add(s.text());
                }
            }
        }
        for (Said s : ofPhase) {
            boolean senderStayed = !movers.contains(s.sender());
            if (!senderStayed && !s.finalRound()) {
                fromMovers.add(s);   // said around the crash: may be lost with the node, but then for everyone
            }
            for (User u : users) {
                if (u != s.sender() && u.room.equals(s.room())) {
                    if (s.finalRound() || senderStayed && !movers.contains(u)) {
                        must.get(u).add(s.text());
                    }
                }
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !allArrived(must)) {
            Thread.sleep(20);   // polls the counters the clients' threads fill in, until the deadline
        }
        long delivered = users.stream().mapToLong(u -> ofPhase.stream().mapToLong(s -> u.count(s.text())).sum()).sum();
        long duplicates = 0;
        long unexpected = 0;
        long missing = 0;
        for (User u : users) {
            for (Map.Entry<String, AtomicInteger> e : u.received.entrySet()) {
                duplicates += Math.max(0, e.getValue().get() - 1);
                if (!meant.get(u).contains(e.getKey())) {
                    unexpected++;
                }
            }
            for (String text : must.get(u)) {
                if (u.count(text) == 0) {
                    missing++;
                }
            }
        }
        long mustCount = must.values().stream().mapToLong(List::size).sum();
        say.accept(String.format("run " + phase + ": %d messages said, %d deliveries; of the %d that had to arrive: missing %d; duplicates %d;"
                + " to a client they were not meant for %d", ofPhase.size(), delivered, mustCount, missing, duplicates, unexpected));
        if (missing > 0) {
            problems.add(missing + " deliveries that had to arrive are missing");
        }
        if (duplicates > 0) {
            problems.add(duplicates + " messages arrived twice or more");
        }
        if (unexpected > 0) {
            problems.add(unexpected + " messages reached a client outside the sender's room (or the sender itself)");
        }
        if (victim == null) {
            return;
        }
        long movedMissed = 0;
        long stillMissing = 0;
        for (User u : moved) {
            for (Said s : ofPhase) {
                if (s.sender() != u && s.room().equals(u.room) && u.count(s.text()) == 0 && !must.get(u).contains(s.text())) {
                    movedMissed++;
                    boolean published = users.stream().anyMatch(other -> other.count(s.text()) > 0);
                    if (published && !u.recovered.contains(s.text())) {
                        stillMissing++;
                    }
                }
            }
        }
        long caughtUp = moved.stream().mapToLong(u -> u.recovered.size()).sum();
        say.accept(String.format("the moving clients missed %d messages live while they moved; their new nodes caught them up"
                + " with %d (lesson 10's catch-up); still missing: %d", movedMissed, caughtUp, stillMissing));
        if (stillMissing > 0) {
            problems.add(stillMissing + " messages, published before or while their clients moved, are missing after the catch-up");
        }
        long stillConnected = users.stream().filter(u -> !movers.contains(u)).filter(u -> u.disconnects.get() == 0).count();
        long others = users.size() - moved.size();
        say.accept(String.format("clients of the surviving nodes: %d of %d never lost their connection; they saw %s leave the"
                + " live nodes", stillConnected, others, victim));
        if (stillConnected != others) {
            problems.add((others - stillConnected) + " clients of the surviving nodes lost their connection");
        }
        int allOrNone = 0;
        for (Said s : fromMovers) {
            long got = users.stream().filter(u -> !movers.contains(u) && u != s.sender() && u.room.equals(s.room()))
                    .filter(u -> u.count(s.text()) > 0).count();
            long of = users.stream().filter(u -> !movers.contains(u) && u != s.sender() && u.room.equals(s.room())).count();
            if (got != 0 && got != of) {
                allOrNone++;
            }
        }
        if (allOrNone > 0) {
            problems.add(allOrNone + " messages of the moving clients reached some of the surviving nodes' clients in their room, not all");
        }
    }

    private static boolean allArrived(Map<User, List<String>> must) {
        for (Map.Entry<User, List<String>> e : must.entrySet()) {
            for (String text : e.getValue()) {
                if (e.getKey().count(text) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Polls {@code condition} until it holds; an error naming {@code what} after {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);   // polls state the clients' threads update, until the deadline
        }
    }
}
