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
        StringBuilder frame = new StringBuilder().append('4').append(packet.type().digit());
        if (!packet.namespace().equals("/")) {
            frame.append(packet.namespace()).append(',');
        }
        if (packet.ackId() != NO_ACK) {
            frame.append(packet.ackId());
        }
        if (packet.data() != null) {
            try {
                frame.append(JSON.writeValueAsString(packet.data()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the data of " + packet + " as JSON", e);
            }
        }
        return frame.toString();
    }

    @Task(number = 2, title = "Decode a packet",
            hint = "Walk the frame with an index: it must start with '4' (Rule.EMPTY for \"\", else Rule.NOT_A_MESSAGE)"
                    + " and go on with a type character (Rule.UNKNOWN_TYPE if there is none; PacketType.of(c, frame) checks it);"
                    + " a '/' starts a namespace that runs to the next ',' or to the end"
                    + " (Rule.NAMESPACE unless it is a plain name like /admin); then up to 15 digits are the ack id"
                    + " (Rule.ACK_ID if more); the rest, if any, goes through readJson.")
    static Packet parse(String frame) {
        if (frame.isEmpty()) {
            throw new ProtocolException(frame, Rule.EMPTY);
        }
        if (frame.charAt(0) != '4') {
            throw new ProtocolException(frame, Rule.NOT_A_MESSAGE);
        }
        if (frame.length() < 2) {
            throw new ProtocolException(frame, Rule.UNKNOWN_TYPE);
        }
        PacketType type = PacketType.of(frame.charAt(1), frame);
        int i = 2;
        String namespace = "/";
        if (i < frame.length() && frame.charAt(i) == '/') {
            int comma = frame.indexOf(',', i);
            namespace = frame.substring(i, comma < 0 ? frame.length() : comma);
            if (!namespace.matches("/[\\w.-]*")) {
                throw new ProtocolException(frame, Rule.NAMESPACE);
            }
            i = comma < 0 ? frame.length() : comma + 1;
        }
        int digits = i;
        while (i < frame.length() && frame.charAt(i) >= '0' && frame.charAt(i) <= '9') {
            i++;
        }
        if (i - digits > 15) {
            throw new ProtocolException(frame, Rule.ACK_ID);
        }
        long ackId = i > digits ? Long.parseLong(frame.substring(digits, i)) : NO_ACK;
        JsonNode data = i < frame.length() ? readJson(frame.substring(i), frame) : null;
        return new Packet(type, namespace, ackId, data);
    }

    @Task(number = 3, title = "Reject bad packets",
            hint = "Switch on packet.type(). EVENT: data is an array (isArray()) whose first element isTextual(),"
                    + " else Rule.EVENT_SHAPE. ACK: ackId != NO_ACK and data is an array, else Rule.ACK_SHAPE."
                    + " CONNECT: no ack id, data null or an object; CONNECT_ERROR: an object; DISCONNECT: no data;"
                    + " else Rule.CONNECT_SHAPE.")
    static Packet check(Packet packet, String frame) {
        JsonNode data = packet.data();
        boolean noAck = packet.ackId() == NO_ACK;
        boolean ok = switch (packet.type()) {
            case EVENT -> data != null && data.isArray() && data.size() > 0 && data.get(0).isTextual();
            case ACK -> !noAck && data != null && data.isArray();
            case CONNECT -> noAck && (data == null || data.isObject());
            case CONNECT_ERROR -> noAck && data != null && data.isObject();
            case DISCONNECT -> noAck && data == null;
        };
        if (!ok) {
            throw new ProtocolException(frame, switch (packet.type()) {
                case EVENT -> Rule.EVENT_SHAPE;
                case ACK -> Rule.ACK_SHAPE;
                default -> Rule.CONNECT_SHAPE;
            });
        }
        return packet;
    }

    /** Reads one frame into a packet that follows the rules, or throws a ProtocolException saying why not. */
    static Packet decode(String frame) {
        return check(parse(frame), frame);
    }
}
