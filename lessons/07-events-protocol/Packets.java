import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
                    + " and go on with a type character (Rule.UNKNOWN_TYPE if there is none; PacketType.of(c, frame) checks it);"
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
