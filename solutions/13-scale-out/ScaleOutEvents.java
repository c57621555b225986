import java.util.List;
import java.util.UUID;

// Given: what travels between the nodes of lesson 13 (ScaleOut.java is the file you edit).

/** One broadcast on the Redis channel: which node sent it, the event, and which sockets it is for. */
record Envelope(String node, String event, List<Object> args, List<String> rooms, List<String> except) { }

/** A chat message said in a room, with the node its sender is connected to; its id tells copies apart. */
record Message(String id, String node, String room, String text) {
    Message(String node, String room, String text) {
        this(UUID.randomUUID().toString(), node, room, text);
    }
}
