import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;
import relaylab.workbook.Task;

/**
 * Your own Socket.IO packet codec: the text of one WebSocket frame, as DevTools shows it, to a
 * {@link Packet} and back. Frame layout: {@code 4} (Engine.IO "message"), the packet type digit, the
 * namespace and a comma when it is not "/", the ack id digits when there is one, then the JSON data.
 * Examples: {@code 42["chat","hi"]}, {@code 4212["ping",1]}, {@code 4312["pong"]}, {@code 40/admin,}.
 */
final class Packets {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final long NO_ACK = -1;

    private Packets() {
    }

    /** The Socket.IO packet types a text frame may carry (5 and 6, the binary ones, are refused). */
    enum Type {
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR;

        char digit() {
            return (char) ('0' + ordinal());
        }

        /** The type written as {@code c} in {@code frame}; a ProtocolException for anything else. */
        static Type of(char c, String frame) {
            if (c == '5' || c == '6') {
                throw new ProtocolException(frame, Rule.BINARY);
            }
            if (c < '0' || c > '4') {
                throw new ProtocolException(frame, Rule.UNKNOWN_TYPE);
            }
            return values()[c - '0'];
        }
    }

    /** One Socket.IO packet: its type, namespace ("/" or e.g. "/admin"), ack id (or NO_ACK) and JSON data (or null). */
    record Packet(Type type, String namespace, long ackId, JsonNode data) {
        Packet {
            Objects.requireNonNull(type, "type");
            if (namespace == null || !namespace.startsWith("/")) {
                throw new IllegalArgumentException("a namespace starts with '/', e.g. \"/admin\"; got " + namespace);
            }
        }

        /** An EVENT: {@code ["name", args...]}; ackId is NO_ACK unless the sender waits for an answer. */
        static Packet event(String namespace, long ackId, String name, Object... args) {
            ArrayNode data = JSON.createArrayNode().add(name);
            for (Object arg : args) {
                data.add(JSON.valueToTree(arg));
            }
            return new Packet(Type.EVENT, namespace, ackId, data);
        }

        /** The ACK that answers the call with id {@code ackId}. */
        static Packet ack(String namespace, long ackId, Object... args) {
            return new Packet(Type.ACK, namespace, ackId, JSON.valueToTree(args));
        }

        /** A CONNECT to a namespace, with an auth object or null. */
        static Packet connect(String namespace, Object auth) {
            return new Packet(Type.CONNECT, namespace, NO_ACK, auth == null ? null : JSON.valueToTree(auth));
        }

        String eventName() {
            return data.get(0).asText();
        }

        /** The arguments of an EVENT after its name. */
        ArrayNode eventArgs() {
            ArrayNode args = JSON.createArrayNode();
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
    static final class ProtocolException extends IllegalArgumentException {
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

    /** Reads the JSON part of {@code frame}; a ProtocolException (BAD_JSON) when it is not JSON. */
    static JsonNode readJson(String json, String frame) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(frame, Rule.BAD_JSON);
        }
    }

    @Task(number = 1, title = "Encode a packet",
            hint = "Start with \"4\" and packet.type().digit(); add the namespace and a comma unless it is \"/\";"
                    + " add the ack id unless it is NO_ACK; add JSON.writeValueAsString(data) unless data is null.")
    static String encode(Packet packet) {
        // TODO 1: write "4", the type digit, the namespace and a comma (unless "/"), the ack id (unless NO_ACK), the JSON data (task 1)
        throw new UnsupportedOperationException("TODO 1: encode a packet into its frame text");
    }

    @Task(number = 2, title = "Decode a packet",
            hint = "Walk the frame with an index: it must start with '4' (Rule.EMPTY for \"\", else Rule.NOT_A_MESSAGE)"
                    + " and go on with a type character (Rule.UNKNOWN_TYPE if there is none; Type.of(c, frame) checks it);"
                    + " a '/' starts a namespace that runs to the next ',' or to the end"
                    + " (Rule.NAMESPACE unless it is a plain name like /admin); then up to 15 digits are the ack id"
                    + " (Rule.ACK_ID if more); the rest, if any, goes through readJson.")
    static Packet parse(String frame) {
        // TODO 2: read the 4, the type, an optional "/namespace,", optional ack id digits and optional JSON data (task 2)
        throw new UnsupportedOperationException("TODO 2: decode a frame into a packet");
    }

    @Task(number = 3, title = "Reject bad packets",
            hint = "Switch on packet.type(). EVENT: data is an array (isArray()) whose first element isTextual(),"
                    + " else Rule.EVENT_SHAPE. ACK: ackId != NO_ACK and data is an array, else Rule.ACK_SHAPE."
                    + " CONNECT: no ack id, data null or an object; CONNECT_ERROR: an object; DISCONNECT: no data;"
                    + " else Rule.CONNECT_SHAPE.")
    static Packet check(Packet packet, String frame) {
        // TODO 3: throw a ProtocolException with the matching Rule when the data or ack id does not fit the type (task 3)
        throw new UnsupportedOperationException("TODO 3: reject packets whose shape does not fit their type");
    }

    /** Reads one frame into a packet that follows the rules, or throws a ProtocolException saying why not. */
    static Packet decode(String frame) {
        return check(parse(frame), frame);
    }
}
