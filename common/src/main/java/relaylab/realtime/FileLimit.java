package relaylab.realtime;

import org.xnio.ChannelListener;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.channels.AcceptListenerSettable;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Queue;

/**
 * The process's open-file limit ({@code ulimit -n}) and one descriptor held in reserve, so that a server out of
 * descriptors can still accept a waiting connection in order to refuse it. Without this, XNIO's accept thread fails
 * with "Too many open files", logs it, stops accepting for 250 ms, then 4 times longer after each failure (up to
 * 30 s), and the client waits in the system's queue, told nothing.
 *
 * <p>XNIO 3.8 accepts on one thread ({@code QueuedNioTcpServer2}: accept, then queue the connection for its I/O
 * thread); {@link #takeOverAccept} puts this class's loop in place of that one: before each accept the spare
 * descriptor is closed, after it opened again. If that fails, no descriptor is left: the new connection is handed to
 * the refusal instead of the queue, which frees its descriptor. The accept itself thus never fails, and the server
 * recovers at the first accept after descriptors are free. The loop also lets {@link ConnectionCap} count connections
 * where they are accepted, in order. The spare needs Unix (/dev/null); elsewhere the loop runs without it.
 */
final class FileLimit implements AutoCloseable {
    private static final Path DEV_NULL = Path.of("/dev/null");
    /** Connections accepted in one go, as XNIO does, so that other work on the accept thread is not starved. */
    private static final int BATCH = 128;

    private final long limit;
    private final boolean supported;
    private FileChannel spare;   // guarded by this
    private boolean closed;      // guarded by this

    FileLimit() {
        this.limit = softLimit();
        // opening it now also loads the classes that opening a file needs, while descriptors are still free
        this.spare = limit > 0 && Files.isReadable(DEV_NULL) ? open() : null;
        this.supported = spare != null;
    }

    /** The soft limit on open files of this process (what {@code ulimit -n} shows), or -1 when unknown. */
    static long softLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    long limit() {
        return limit;
    }

    /** Decides, on the accept thread and in accept order, whether a new connection goes on to its I/O thread. */
    interface Admission {
        /**
         * True to queue the connection for its I/O thread; false when the admission refused (and closed) it.
         * {@code outOfFiles}: no descriptor was left after accepting it.
         */
        boolean admit(StreamConnection connection, boolean outOfFiles);
    }

    /**
     * Replaces XNIO's accept loop behind one of Undertow's accepting channels (plain, or the TLS one wrapping it) with
     * one that asks {@code admission} about each new connection.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void takeOverAccept(AcceptingChannel<?> undertowChannel, Admission admission) {
        Object queued = hasField(undertowChannel, "tcpServer") ? field(undertowChannel, "tcpServer") : undertowChannel;
        AcceptingChannel<StreamConnection> real = (AcceptingChannel<StreamConnection>) field(queued, "realServer");
        List<Queue<StreamConnection>> queues = (List<Queue<StreamConnection>>) field(queued, "acceptQueues");
        Runnable acceptTask = (Runnable) field(queued, "acceptTask");
        ChannelListener<AcceptingChannel<StreamConnection>> loop = channel -> {
            for (int i = 0; i < BATCH; i++) {
                release();
                StreamConnection connection = accept(real);
                boolean free = reserve();
                if (connection == null) {
                    return;
                }
                boolean admitted = admission.admit(connection, !free);
                reserve();   // after a refusal its descriptor is free again
                if (admitted) {
                    XnioIoThread thread = connection.getIoThread();
                    queues.get(thread.getNumber()).add(connection);
                    thread.execute(acceptTask);
                }
            }
        };
        ((AcceptListenerSettable) real).setAcceptListener(loop);
    }

    private static StreamConnection accept(AcceptingChannel<StreamConnection> real) {
        try {
            return real.accept();
        } catch (IOException e) {
            return null;   // closed: the server is stopping
        }
    }

    private static boolean hasField(Object target, String name) {
        try {
            target.getClass().getDeclaredField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** A private field of Undertow's or XNIO's accepting channels (checked by FileLimitTest for the pinned versions). */
    static Object field(Object target, String name) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot take over the accept of " + target.getClass().getName() + " (field "
                    + name + ": " + e + "); the realtime core is written for the Undertow and XNIO versions pinned in"
                    + " the root pom.xml", e);
        }
    }

    private static FileChannel open() {
        try {
            return FileChannel.open(DEV_NULL, StandardOpenOption.READ);
        } catch (IOException e) {
            return null;   // no descriptor free (or no /dev/null): the caller says what that means
        }
    }

    /** Closes the spare descriptor, so that the next accept can take its number. */
    private synchronized void release() {
        if (spare != null) {
            try {
                spare.close();
            } catch (IOException e) {
                throw new IllegalStateException("cannot close the spare descriptor /dev/null: " + e, e);
            }
            spare = null;
        }
    }

    /** Opens the spare descriptor again; false when no descriptor is free (the limit is reached). */
    private synchronized boolean reserve() {
        if (!supported || closed) {
            return true;
        }
        if (spare == null) {
            spare = open();
        }
        return spare != null;
    }

    /** Gives the spare descriptor back, when the server stops. */
    @Override
    public synchronized void close() {
        closed = true;
        release();
    }
}
