package relaylab.realtime;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import relaylab.realtime.internal.FanoutProbe;
import relaylab.realtime.protocol.Outbound;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The outgoing side of one server WebSocket. Undertow still does the handshake, reads and parses the
 * client's frames, and closes; but data frames are written here, straight to the connection, because
 * Undertow's per-message send path (a sink channel, a pooled buffer and a flush per message) costs more than
 * the socket write itself in a broadcast.
 *
 * <p>Each packet's frame is encoded once ({@link Outbound#textFrame()}) and shared by every recipient. A packet
 * for an idle connection (nothing queued, no flush due, socket not full) is written at once, in its own write,
 * as the reference server does: the CONNECT answer and the first event of a connection handler leave in two
 * writes, so that a client taking one message per read loses nothing. Packets that follow before that write's
 * flush task has run (it runs after the tasks already queued on the I/O thread), or while the socket is full,
 * pile up and leave together in one gathering write. When broadcasts arrive faster than the I/O thread
 * writes, that self-clocked batching is what lets the fan-out scale past one socket write per delivery
 * ({@code ./jbang bench}); when idle it adds no delay.
 *
 * <p>A client that reads too slowly is cut off rather than buffered for without end: when more than
 * {@value #LIMIT_IN_MAX_PAYLOADS} times {@code maxPayload} bytes (64 MB by default) wait for it, the connection is
 * closed with a logged reason. After the server closes a connection, its queued frames get {@code pingTimeout} to
 * leave before the socket is closed without them.
 *
 * <p>Everything here runs on the channel's I/O thread ({@link #send} hops there when called elsewhere), so
 * a connection's frames keep their order without a lock.
 */
final class WebSocketWriter implements ChannelListener<ConduitStreamSinkChannel> {
    private static final System.Logger LOG = CoreLog.LOG;
    private static final String KEY = "relaylab.writer";
    private static final ThreadLocal<WriteFlusher> FLUSHERS = ThreadLocal.withInitial(WriteFlusher::new);
    static final int LIMIT_IN_MAX_PAYLOADS = 64;
    /**
     * What one queued frame costs beyond its bytes: its ByteBuffer view (about 48 bytes) and its slot in the queue.
     * Counted with the bytes, so that many tiny frames reach the limit as soon as the heap they hold does.
     */
    static final int FRAME_OVERHEAD = 56;

    private final WebSocketChannel channel;
    private final ConduitStreamSinkChannel sink;
    final XnioIoThread io;
    private final EngineSession owner;
    private final long limit;
    private ByteBuffer[] frames = new ByteBuffer[4];
    // when FanoutProbe is on: each queued frame's emit time, beside frames[]; else null
    private long[] stamps = FanoutProbe.ON ? new long[4] : null;
    private int first;
    private int count;
    private long pendingBytes;
    private boolean dirty;
    private boolean waiting;
    private boolean closing;
    private boolean done;
    private ChannelListener<? super ConduitStreamSinkChannel> undertowListener;
    /** Bytes of this writer counted in the server's {@link SlowReaders} (while it waits for a full socket). */
    volatile long counted;
    /** Socket writes so far (each one gathering write of what was queued); read by tests on the I/O thread. */
    long writes;

    private WebSocketWriter(WebSocketChannel channel, ConduitStreamSinkChannel sink, EngineSession owner) {
        this.channel = channel;
        this.sink = sink;
        this.io = channel.getIoThread();
        this.owner = owner;
        this.limit = (long) LIMIT_IN_MAX_PAYLOADS * owner.server.config.maxPayload;
    }

    /** Called once per accepted WebSocket, before anything is sent on it. */
    static WebSocketWriter attach(WebSocketChannel channel, ConduitStreamSinkChannel sink, EngineSession owner) {
        WebSocketWriter writer = new WebSocketWriter(channel, sink, owner);
        channel.setAttribute(KEY, writer);
        return writer;
    }

    /** The writer of a channel accepted by {@link EngineHandler}. */
    static WebSocketWriter of(WebSocketChannel channel) {
        return (WebSocketWriter) channel.getAttribute(KEY);
    }

    /**
     * Sends a packet (and its binary attachments) to this WebSocket: at once in its own write when the connection is
     * idle, else gathered with what waits. For one client's packets (an emit to one socket, the CONNECT answer).
     */
    void send(Outbound packet) {
        send(packet, true, FanoutProbe.stamp());
    }

    /**
     * A broadcast's share, from the fan-out's task on this I/O thread: always queued for the flush task, which runs
     * right after that task when the thread is idle (still one write per packet then). Not written at once, because
     * when broadcasts pile up on the thread, a write at once plus the flush task's write would be two writes per
     * connection per round instead of one, which doubles the socket writes and the queueing delay at high rates.
     */
    void queue(Outbound packet, long emitted) {
        send(packet, false, emitted);
    }

    private void send(Outbound packet, boolean atOnceWhenIdle, long emitted) {
        if (Thread.currentThread() != io) {
            execute(() -> send(packet, atOnceWhenIdle, emitted));
            return;
        }
        if (closing || done) {
            return;
        }
        boolean idle = atOnceWhenIdle && !dirty && !waiting && count == first;
        add(packet.textFrame(), emitted);
        ByteBuffer[] binary = packet.binaryFrames();
        for (ByteBuffer b : binary) {
            add(b, emitted);
        }
        if (pendingBytes > limit) {
            LOG.log(System.Logger.Level.WARNING, "connection " + owner.sid + " reads too slowly: " + pendingBytes
                    + " bytes wait for it, more than " + LIMIT_IN_MAX_PAYLOADS + " x maxPayload; closing it");
            abort();
            return;
        }
        if (idle) {
            flush();
        } else if (waiting) {
            report();
        }
        markDirty();
    }

    /** Tells the server's {@link SlowReaders} what this writer holds now: its queue while it waits, else nothing. */
    private void report() {
        long now = waiting && !done ? pendingBytes : 0;
        long delta = now - counted;
        if (delta != 0) {
            counted = now;
            owner.server.slowReaders.add(this, delta, now > 0);
        }
    }

    /**
     * Called by {@link SlowReaders} from any thread: all slow readers together hold more than {@code maxQueuedBytes}
     * and this one holds most, so it is cut off like a reader over its own limit; {@code then} runs once it is.
     */
    void cutOff(long total, long cap, Runnable then) {
        execute(() -> {
            try {
                if (!done) {
                    LOG.log(System.Logger.Level.WARNING, "connection " + owner.sid + " reads too slowly: it holds "
                            + pendingBytes + " of the " + total + " bytes queued for all slow readers, more than maxQueuedBytes "
                            + cap + "; closing it");
                    abort();
                }
            } finally {
                then.run();
            }
        });
    }

    /** Answers a client's ping with a pong carrying the same payload (at most 125 bytes, checked by Undertow). */
    void pong(ByteBuffer payload) {
        if (!closing && !done) {
            add(Outbound.frame(0x8A, payload), FanoutProbe.stamp());
            markDirty();
        }
    }

    /** True when frames wait to be written (the client reads slowly or a flush is due). */
    boolean hasPending() {
        return count > first;
    }

    /**
     * Stops sending: the frames already queued still go out, then Undertow sends the close frame and closes
     * the connection. Safe from any thread.
     */
    void close() {
        if (Thread.currentThread() != io) {
            execute(this::close);
            return;
        }
        if (closing || done) {
            return;
        }
        closing = true;
        if (!hasPending()) {
            finish();
            return;
        }
        try {
            io.executeAfter(() -> {
                if (!done) {
                    LOG.log(System.Logger.Level.INFO, "connection " + owner.sid + ": " + pendingBytes + " bytes still unread "
                            + owner.server.config.pingTimeout.toMillis() + " ms after closing; dropping them");
                    done = true;
                    dropQueue();
                    IoUtils.safeClose(channel);
                }
            }, owner.server.config.pingTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping and its I/O threads take no more timers: no time is left for the unread frames
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + owner.sid + ": " + pendingBytes
                    + " bytes unread at shutdown; dropping them");
            done = true;
            dropQueue();
            IoUtils.safeClose(channel);
        }
    }

    /** The client sent a close frame: nothing more is sent from here; Undertow answers it. */
    void stop() {
        done = true;
        dropQueue();
    }

    private void execute(Runnable task) {
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + owner.sid + ": write after shutdown dropped");
        }
    }

    private void add(ByteBuffer frame, long emitted) {
        if (count == frames.length) {
            if (first > 0) {
                System.arraycopy(frames, first, frames, 0, count - first);
                if (FanoutProbe.ON) {
                    System.arraycopy(stamps, first, stamps, 0, count - first);
                }
                Arrays.fill(frames, count - first, count, null);
                count -= first;
                first = 0;
            } else {
                frames = Arrays.copyOf(frames, frames.length * 2);
                if (FanoutProbe.ON) {
                    stamps = Arrays.copyOf(stamps, frames.length);
                }
            }
        }
        if (FanoutProbe.ON) {
            stamps[count] = emitted;
        }
        frames[count++] = frame;
        pendingBytes += frame.remaining() + FRAME_OVERHEAD;
    }

    private void markDirty() {
        if (!dirty && !waiting) {
            dirty = true;
            FLUSHERS.get().add(this);
        }
    }

    /** Writes what is queued; when the socket is full, waits for it to drain (the rest stays queued in order). */
    void flush() {
        dirty = false;
        if (done) {
            return;
        }
        try {
            if (count > first) {
                writes++;
                FanoutProbe probe = FanoutProbe.ON ? FanoutProbe.current() : null;
                if (FanoutProbe.ON) {
                    probe.write(count - first);
                }
                pendingBytes -= sink.write(frames, first, count - first);
                long now = FanoutProbe.stamp();
                while (first < count && !frames[first].hasRemaining()) {
                    if (FanoutProbe.ON) {
                        probe.written(stamps[first], now);
                    }
                    frames[first++] = null;
                    pendingBytes -= FRAME_OVERHEAD;
                }
                if (first < count) {
                    if (!waiting) {
                        waiting = true;
                        undertowListener = sink.getWriteListener();
                        sink.getWriteSetter().set(this);
                        sink.resumeWrites();
                    }
                    report();
                    return;
                }
                first = 0;
                count = 0;
                if (!sink.flush()) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "connection " + owner.sid + ": socket flush pending");
                }
            }
            if (waiting) {
                waiting = false;
                report();
                sink.suspendWrites();
                sink.getWriteSetter().set(undertowListener);
                undertowListener = null;
            }
            if (closing) {
                finish();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "write to connection " + owner.sid + " failed: " + e);
            abort();
        }
    }

    /** Gives up on this WebSocket: drops what waits, closes the socket and the session. */
    private void abort() {
        done = true;
        dropQueue();
        // the session closes first: closing the channel first would let its close task win with "transport close"
        owner.close("transport error");
        IoUtils.safeClose(channel);
    }

    /** For tests: the sink's write listener, which is this writer exactly while it waits for the socket. */
    ChannelListener<? super ConduitStreamSinkChannel> sinkWriteListener() {
        return sink.getWriteListener();
    }

    /** The socket can take more: called by XNIO while {@link #flush} waits. */
    @Override
    public void handleEvent(ConduitStreamSinkChannel ignored) {
        flush();
    }

    private void dropQueue() {
        Arrays.fill(frames, null);
        first = 0;
        count = 0;
        pendingBytes = 0;
        report();
    }

    private void finish() {
        done = true;
        if (!channel.isOpen()) {
            return;
        }
        try {
            WebSockets.sendClose(1000, "", channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel c, Void context) {
                    IoUtils.safeClose(c);
                }

                @Override
                public void onError(WebSocketChannel c, Void context, Throwable throwable) {
                    IoUtils.safeClose(c);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + owner.sid + ": close frame not sent: " + e);
            IoUtils.safeClose(channel);
        }
    }
}
