package relaylab.httpchat;

import java.io.IOException;

/**
 * One simulated chat user, whatever carries its messages (polling or a WebSocket); lesson 04 runs the
 * same workload through users of each transport. Messages from other users go to the inbox the user
 * was created with, the moment they arrive.
 */
public interface ChatUser extends AutoCloseable {

    /** The user's name, as written in the messages it sends. */
    String name();

    /** Sends a message to everyone, stamped with {@code System.nanoTime()}. */
    void send(String text) throws IOException, InterruptedException;

    /** Disconnects: stops polling or closes the WebSocket. */
    @Override
    void close();
}
