package relaylab.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MongoDB a lesson talks to: the learner's own (a {@code MONGODB_URI} or {@code --mongodb-uri})
 * or, when none is given, an embedded server speaking MongoDB's wire protocol
 * ({@code de.bwaldvogel:mongo-java-server}) on a free loopback port, so nothing has to be installed
 * and {@code mongosh} can connect to it too. Either way the lesson uses the official sync driver.
 *
 * <p>The embedded server keeps its data in an H2 (MVStore) file when given a folder, so a backup
 * survives a restart of the lesson; a backup that vanishes with the process would be no backup. Without
 * a folder it keeps everything in memory (tests, measurements). It has no transactions and no
 * {@code $text} search; lesson 12 needs neither.
 */
public final class LessonMongo implements AutoCloseable {
    /** File name of the embedded server's data inside the folder given to {@link #start}. */
    public static final String DATA_FILE = "mongo.mv.db";

    // Strong references: java.util.logging forgets the level of a logger nobody holds.
    private static final Logger SERVER_LOG = Logger.getLogger("de.bwaldvogel");
    private static final Logger DRIVER_LOG = Logger.getLogger("org.mongodb.driver");

    private final String uri;
    private final Path dataFile;
    private final int port;
    private MongoServer server;
    private final MongoClient client;

    private LessonMongo(String uri, Path dataFile, int port, MongoServer server) {
        this.uri = uri;
        this.dataFile = dataFile;
        this.port = port;
        this.server = server;
        this.client = MongoClients.create(settings(uri));
    }

    /**
     * Connects to {@code uriOrNull} when it is given (a {@code mongodb://} URI), else starts the
     * embedded server on 127.0.0.1 and a free port: backed by {@code dataDirOrNull/mongo.mv.db} when a
     * folder is given, in memory when it is null. Called once when a lesson or test starts; close it at
     * the end. Throws {@link IllegalArgumentException} for a URI that is not a MongoDB connection string.
     */
    public static LessonMongo start(String uriOrNull, Path dataDirOrNull) {
        quietLibraries();
        if (uriOrNull != null && !uriOrNull.isBlank()) {
            try {
                new ConnectionString(uriOrNull);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the MongoDB URI " + uriOrNull + " is not valid (" + e.getMessage()
                        + "); write it as mongodb://host:27017", e);
            }
            return new LessonMongo(uriOrNull, null, -1, null);
        }
        Path dataFile = null;
        if (dataDirOrNull != null) {
            try {
                Files.createDirectories(dataDirOrNull);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the folder " + dataDirOrNull + " for the embedded MongoDB's data", e);
            }
            dataFile = dataDirOrNull.resolve(DATA_FILE).toAbsolutePath();
        }
        MongoServer server = new MongoServer(backend(dataFile));
        InetSocketAddress address;
        try {
            server.bind("127.0.0.1", 0);
            address = server.getLocalAddress();
        } catch (RuntimeException e) {
            server.shutdownNow();
            throw e;
        }
        return new LessonMongo("mongodb://127.0.0.1:" + address.getPort(), dataFile, address.getPort(), server);
    }

    private static MongoBackend backend(Path dataFile) {
        if (dataFile == null) {
            return new MemoryBackend();
        }
        try {
            return new H2Backend(dataFile.toString());
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("the embedded MongoDB cannot open its data file " + dataFile + " (" + reason + "): "
                    + (reason.contains("locked") ? "another process uses it; is this lesson running already?" : "delete it to start empty"), e);
        }
    }

    /**
     * Driver settings for a lesson: a MongoDB that is down fails an operation within about 3 s (instead
     * of the driver's 30 s), so a backup run fails with one line and the next tick retries. Timeouts the
     * URI states itself win.
     */
    private static MongoClientSettings settings(String uri) {
        ConnectionString connection = new ConnectionString(uri);
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(connection);
        if (connection.getServerSelectionTimeout() == null) {
            builder.applyToClusterSettings(c -> c.serverSelectionTimeout(3, TimeUnit.SECONDS));
        }
        if (connection.getConnectTimeout() == null) {
            builder.applyToSocketSettings(s -> s.connectTimeout(2, TimeUnit.SECONDS));
        }
        return builder.build();
    }

    /** Keeps the embedded server's and the driver's INFO chatter (connections opened, monitors) off the lesson's output. */
    static void quietLibraries() {
        SERVER_LOG.setLevel(Level.OFF);
        DRIVER_LOG.setLevel(Level.WARNING);
    }

    /** The connection string, e.g. {@code mongodb://127.0.0.1:40123}: print it so the learner can point mongosh at it. */
    public String uri() {
        return uri;
    }

    /** Whether this is the embedded server (false: the learner's own MongoDB). */
    public boolean embedded() {
        return port >= 0;
    }

    /** One line saying which MongoDB this is, for the lesson's start-up output. */
    public String describe() {
        if (!embedded()) {
            return "MongoDB at " + uri;
        }
        return "embedded MongoDB-wire server (mongo-java-server) at " + uri + ", "
                + (dataFile == null ? "in memory" : "data in " + dataFile);
    }

    /** The driver's client, shared by the whole lesson (it is thread-safe and pools its connections). */
    public MongoClient client() {
        return client;
    }

    /** A database of this MongoDB, e.g. {@code database("relaylab")}. */
    public MongoDatabase database(String name) {
        return client.getDatabase(name);
    }

    /**
     * Stops the embedded server as if MongoDB went down: open connections are closed and the port
     * refuses new ones. For outage tests; the data stays in its file when the server has a folder
     * (in memory it is gone). Throws {@link IllegalStateException} for the learner's own MongoDB.
     */
    public synchronized void stopServer() {
        requireEmbedded("stop");
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** Starts the embedded server again on the same port after {@link #stopServer()}, reopening its data file. */
    public synchronized void startServer() {
        requireEmbedded("start");
        if (server == null) {
            MongoServer restarted = new MongoServer(backend(dataFile));
            restarted.bind("127.0.0.1", port);
            server = restarted;
        }
    }

    private void requireEmbedded(String what) {
        if (!embedded()) {
            throw new IllegalStateException("cannot " + what + " " + uri + ": only the embedded server is started and stopped by the lesson");
        }
    }

    /** Closes the client and stops the embedded server (its data file stays). */
    @Override
    public synchronized void close() {
        client.close();
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }
}
