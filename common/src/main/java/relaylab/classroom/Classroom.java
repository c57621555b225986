package relaylab.classroom;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import relaylab.realtime.Ack;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;

/**
 * The live classroom dashboard ({@code ./jbang classroom}), built on the workbook's own realtime engine.
 * Learners' graders connect to the {@value #LEARNERS} namespace with {@code {code, id, name}} as auth and send
 * each grade result as one {@value #RESULT} event with an acknowledgement; the dashboard page (served at
 * {@code /}, with the project's own socket.io.js) connects to {@value #DASHBOARD} and receives a
 * {@value #SNAPSHOT} of the room, then one {@value #LEARNER} event per change.
 *
 * <pre>{@code
 * try (Classroom room = Classroom.start(s -> s.host("127.0.0.1").port(0).stuckAfter(Duration.ofMinutes(10)))) {
 *     System.out.println("dashboard " + room.url() + ", learners join " + room.joinAddress());
 * }
 * }</pre>
 */
public final class Classroom implements AutoCloseable {
    /** The namespace learners' graders connect to. */
    public static final String LEARNERS = "/learners";
    /** The namespace the dashboard page connects to. */
    public static final String DASHBOARD = "/dashboard";
    /** The event a grader sends with a {@link GradeResult}; its acknowledgement is {@code {ok:true}} or {@code {ok:false, error}}. */
    public static final String RESULT = "result";
    /** The event a dashboard page receives once on connecting: the whole room. */
    public static final String SNAPSHOT = "snapshot";
    /** The event a dashboard page receives whenever a learner joins or sends a result: that learner. */
    public static final String LEARNER = "learner";
    /** The default port of {@code ./jbang classroom}. */
    public static final int DEFAULT_PORT = 4000;

    private static final System.Logger LOG = System.getLogger("relaylab.classroom");
    private static final String WATCHERS = "watchers";
    private static final String LEARNER_ID = "classroom.learner";

    /** What {@link #start} is given; every setting has a default. */
    public static final class Settings {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String code;
        private Duration stuckAfter = Duration.ofMinutes(10);
        private LongSupplier clock = System::currentTimeMillis;
        private Consumer<String> log = line -> { };

        /** The address to listen on: "0.0.0.0" (default, the whole LAN) or "127.0.0.1" (this machine only). */
        public Settings host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port, {@value #DEFAULT_PORT} by default; 0 picks a free one (tests). */
        public Settings port(int port) {
            this.port = port;
            return this;
        }

        /** A join code of your own (e.g. to keep the same one after a restart); random by default. */
        public Settings code(String code) {
            this.code = JoinAddress.checkCode(code);
            return this;
        }

        /** How long the same task may stay a learner's first failing one before the page marks them stuck. */
        public Settings stuckAfter(Duration stuckAfter) {
            if (stuckAfter.isNegative() || stuckAfter.isZero()) {
                throw new IllegalArgumentException("stuckAfter must be positive, got " + stuckAfter);
            }
            this.stuckAfter = stuckAfter;
            return this;
        }

        /** Where the dashboard tells who joined and which results it refused (one line each); silent by default. */
        public Settings log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        Settings clock(LongSupplier clock) {
            this.clock = clock;
            return this;
        }
    }

    /** What the page receives on connecting. */
    record Snapshot(String code, String joinAddress, long stuckAfterMillis, long serverNow, List<Roster.LearnerView> learners) {
    }

    private final Settings settings;
    private final String code;
    private final Roster roster;
    private final RealtimeServer server;
    private final Namespace dashboard;
    private final Object order = new Object();
    private volatile JoinAddress joinAddress;

    private Classroom(Settings settings) {
        this.settings = settings;
        this.code = settings.code != null ? settings.code : JoinAddress.newCode();
        this.roster = new Roster(settings.clock);
        this.server = RealtimeServer.create(cfg -> cfg.host(settings.host).staticFiles(Classroom.class, "/relaylab/classroom")
                .maxPayload(64 * 1024)
                .pageHeader("Content-Security-Policy", "default-src 'self'"));
        Namespace learners = server.of(LEARNERS);
        learners.use(this::admit);
        learners.on("connection", this::learnerConnected);
        dashboard = server.of(DASHBOARD);
        dashboard.on("connection", this::pageConnected);
    }

    /**
     * Starts a dashboard; stop it with {@link #close()}.
     *
     * @throws IllegalArgumentException for a bad setting (e.g. a code with look-alike characters)
     * @throws RuntimeException         from the server when the port is taken
     */
    public static Classroom start(Consumer<Settings> configure) {
        Settings settings = new Settings();
        configure.accept(settings);
        Classroom room = new Classroom(settings);
        room.server.start(settings.port);
        String host = settings.host.equals("0.0.0.0") || settings.host.equals("::") ? lanAddress() : settings.host;
        room.joinAddress = new JoinAddress("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + room.port(), room.code);
        return room;
    }

    /** The page's address, e.g. "http://192.168.1.20:4000/". */
    public String url() {
        return joinAddress.server() + "/";
    }

    /** The address learners give to {@code grade NN --join}. */
    public JoinAddress joinAddress() {
        return joinAddress;
    }

    /** The join code. */
    public String code() {
        return code;
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** How many learners have joined since the start. */
    public int learnerCount() {
        return roster.size();
    }

    /** The room as the page would show it now (tests). */
    List<Roster.LearnerView> learnerViews() {
        return roster.learners();
    }

    /** Stops the server; the room's results are gone. Safe to call twice. */
    @Override
    public void close() {
        server.stop();
    }

    private void admit(RealtimeSocket socket, relaylab.realtime.Middleware.Next next) {
        Map<String, Object> auth = socket.handshake().auth();
        Object given = auth.get("code");
        if (!(given instanceof String g) || !code.equals(g.trim().toUpperCase(java.util.Locale.ROOT))) {
            settings.log.accept("refused a learner: wrong join code " + GradeResult.describe(given));
            next.fail("wrong join code " + GradeResult.describe(given)
                    + ": ask the instructor for the address on the dashboard, then grade NN --join http://HOST:PORT/CODE");
            return;
        }
        Object id = auth.get("id");
        if (!(id instanceof String s) || !s.matches("[A-Za-z0-9-]{8,64}")) {
            next.fail("the learner id is missing or malformed (8 to 64 letters, digits or '-'), got " + GradeResult.describe(id));
            return;
        }
        try {
            Roster.checkName(auth.get("name"));
            roster.checkRoomFor(s);
        } catch (IllegalArgumentException e) {
            settings.log.accept("refused a learner: " + e.getMessage());
            next.fail(e.getMessage());
            return;
        }
        next.ok();
    }

    private void learnerConnected(RealtimeSocket socket) {
        Map<String, Object> auth = socket.handshake().auth();
        String id = (String) auth.get("id");
        String name = Roster.checkName(auth.get("name"));
        boolean known;
        synchronized (order) {
            int before = roster.size();
            Roster.LearnerView view = roster.join(id, name);
            known = roster.size() == before;
            socket.data().put(LEARNER_ID, id);
            dashboard.to(WATCHERS).emit(LEARNER, view);
        }
        if (!known) {
            settings.log.accept(name + " joined (" + roster.size() + " in the room)");
        }
        socket.on(RESULT, (args, ack) -> result(socket, name, args, ack));
    }

    private void result(RealtimeSocket socket, String name, List<Object> args, Ack ack) {
        GradeResult result;
        try {
            result = GradeResult.fromEvent(args.isEmpty() ? null : args.get(0));
        } catch (IllegalArgumentException bad) {
            settings.log.accept("refused a result from " + name + ": " + bad.getMessage());
            if (ack.requested()) {
                ack.send(Map.of("ok", false, "error", bad.getMessage()));
            }
            return;
        }
        synchronized (order) {
            Roster.LearnerView view = roster.record((String) socket.data().get(LEARNER_ID), result);
            dashboard.to(WATCHERS).emit(LEARNER, view);
        }
        if (ack.requested()) {
            ack.send(Map.of("ok", true));
        }
    }

    private void pageConnected(RealtimeSocket socket) {
        synchronized (order) {
            socket.join(WATCHERS);
            socket.emit(SNAPSHOT, new Snapshot(code, joinAddress.toString(), settings.stuckAfter.toMillis(),
                    settings.clock.getAsLong(), roster.learners()));
        }
    }

    /** The first site-local IPv4 address of an interface that is up (what others on the LAN can reach), else the host name. */
    static String lanAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (SocketException | java.net.UnknownHostException e) {
            LOG.log(System.Logger.Level.INFO, "no LAN address found (" + e.getMessage() + "); showing localhost");
            return "localhost";
        }
    }
}
