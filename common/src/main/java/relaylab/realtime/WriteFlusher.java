package relaylab.realtime;

import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * The flush task of one I/O thread (each {@link WebSocketWriter} finds its thread's in a thread-local): the writers
 * with frames to write. Its task is queued behind the work already waiting on the thread, so broadcasts that
 * arrive while it is busy are written together, one gathering write per connection.
 */
final class WriteFlusher implements Runnable {
    private ArrayList<WebSocketWriter> dirty = new ArrayList<>();
    private ArrayList<WebSocketWriter> spare = new ArrayList<>();
    private boolean scheduled;

    /** On the I/O thread: {@code writer} has frames to write; schedules this task unless it is already queued. */
    void add(WebSocketWriter writer) {
        dirty.add(writer);
        if (!scheduled) {
            scheduled = true;
            try {
                writer.io.execute(this);
            } catch (RejectedExecutionException e) {
                // the server is stopping and its I/O thread takes no more tasks: nothing more is written
                scheduled = false;
                dirty.clear();
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        ArrayList<WebSocketWriter> batch = dirty;
        dirty = spare;
        for (int i = 0, n = batch.size(); i < n; i++) {
            batch.get(i).flush();
        }
        batch.clear();
        spare = batch;
    }
}
