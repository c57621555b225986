import java.util.List;

/*
 * What travels in lesson 13, given beside ScaleOut.java: an Envelope between nodes over Redis, a Message from a
 * node to the sockets of a room. Nothing to write here.
 */

/** One broadcast on the Redis channel: which node sent it, the event, and which sockets it is for. */
record Envelope(String node, String event, List<Object> args, List<String> rooms, List<String> except) { }

/** A chat message said in a room, with the node its sender is connected to. */
record Message(String node, String room, String text) { }
