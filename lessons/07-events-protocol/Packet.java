import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

// Lesson 07's given types: what a packet is, its types, and the rules a frame can break. Nothing to write
// here; Packets.java reads and writes them.

/** The Socket.IO packet types a text frame may carry (5 and 6, the binary ones, are refused). */
enum PacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR;

    char digit() {
        return (char) ('0' + ordinal());
    }

    /** The type written as {@code c} in {@code frame}; a ProtocolException for anything else. */
    static PacketType of(char c, String frame) {
        if (c == '5' || c == '6') {
            throw new ProtocolException(frame, Rule.BINARY);
        }
        if (c < '0' || c > '4') {
            throw new ProtocolException(frame, Rule.UNKNOWN_TYPE);
        }
        return values()[c - '0'];
    }
}

/** One Socket.IO packet: its type, namespace ("/" or e.g. "/admin"), ack id (or Packets.NO_ACK) and JSON data (or null). */
record Packet(PacketType type, String namespace, long ackId, JsonNode data) {
    Packet {
        Objects.requireNonNull(type, "type");
        if (namespace == null || !namespace.startsWith("/")) {
            throw new IllegalArgumentException("a namespace starts with '/', e.g. \"/admin\"; got " + namespace);
        }
    }

    /** An EVENT: {@code ["name", args...]}; ackId is Packets.NO_ACK unless the sender waits for an answer. */
    static Packet event(String namespace, long ackId, String name, Object... args) {
        ArrayNode data = Packets.JSON.createArrayNode().add(name);
        for (Object arg : args) {
            data.add(Packets.JSON.valueToTree(arg));
        }
        return new Packet(PacketType.EVENT, namespace, ackId, data);
    }

    /** The ACK that answers the call with id {@code ackId}. */
    static Packet ack(String namespace, long ackId, Object... args) {
        return new Packet(PacketType.ACK, namespace, ackId, Packets.JSON.valueToTree(args));
    }

    /** A CONNECT to a namespace, with an auth object or null. */
    static Packet connect(String namespace, Object auth) {
        return new Packet(PacketType.CONNECT, namespace, Packets.NO_ACK, auth == null ? null : Packets.JSON.valueToTree(auth));
    }

    String eventName() {
        return data.get(0).asText();
    }

    /** The arguments of an EVENT after its name. */
    ArrayNode eventArgs() {
        ArrayNode args = Packets.JSON.createArrayNode();
        for (int i = 1; i < data.size(); i++) {
            args.add(data.get(i));
        }
        return args;
    }
}

/** Why a frame is not a packet; each rule explains itself to whoever sent the frame. */
enum Rule {
    EMPTY("the frame is empty"),
    NOT_A_MESSAGE("a Socket.IO packet travels in an Engine.IO message, so its frame starts with 4"
            + " (2 ping, 3 pong, 0 open and 1 close are Engine.IO's own packets)"),
    UNKNOWN_TYPE("the character after the 4 is the packet type: 0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK"
            + " or 4 CONNECT_ERROR"),
    BINARY("binary packets (types 5 and 6) carry attachments in extra frames; this codec reads text packets only"),
    NAMESPACE("a namespace other than / ends with a comma, e.g. 42/admin,[\"kick\"]"),
    ACK_ID("an ack id is a whole number of at most 15 digits"),
    BAD_JSON("the data after the type, namespace and ack id is not valid JSON"),
    EVENT_SHAPE("an EVENT carries a JSON array that starts with the event name, e.g. 42[\"chat\",\"hi\"]"),
    ACK_SHAPE("an ACK carries the id of the call it answers and a JSON array, e.g. 4312[\"ok\"]"),
    CONNECT_SHAPE("CONNECT carries nothing or a JSON object (40 or 40{\"token\":\"abc\"}), CONNECT_ERROR a JSON"
            + " object, DISCONNECT nothing, and none of them an ack id");

    final String explanation;

    Rule(String explanation) {
        this.explanation = explanation;
    }
}

/** A frame that breaks a {@link Rule}; the message quotes the frame and explains the rule. */
final class ProtocolException extends IllegalArgumentException {
    private final Rule rule;

    ProtocolException(String frame, Rule rule) {
        super("bad packet " + quote(frame) + ": " + rule.explanation);
        this.rule = rule;
    }

    Rule rule() {
        return rule;
    }

    private static String quote(String frame) {
        String shown = frame.length() > 80 ? frame.substring(0, 80) + "..." : frame;
        return "\"" + shown + "\"";
    }
}
