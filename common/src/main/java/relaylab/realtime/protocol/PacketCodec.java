package relaylab.realtime.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The encoder and decoder of the Socket.IO v5 text form
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}, shared by the server and the Java client.
 * Encoding gives an {@link Outbound} Engine.IO message ("4" + the packet) whose byte[] values became attachments.
 */
public final class PacketCodec {
    /** The JSON mapping of packet data (Jackson); {@code RealtimeJson.mapper()} is the same object. Do not reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    /** Event names an application may not emit or listen to as events: the reference client and server use them. */
    public static final Set<String> RESERVED_EVENTS = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    private PacketCodec() {
    }

    /** Decodes the Socket.IO part of an Engine.IO message sent by a client (without the leading '4'). */
    public static Packet decode(String text) throws BadPacketException {
        return decode(text, false);
    }

    /** Decodes a packet; {@code fromServer} allows the packets only a server sends (CONNECT with sid, CONNECT_ERROR). */
    public static Packet decode(String text, boolean fromServer) throws BadPacketException {
        if (text.isEmpty()) {
            throw new BadPacketException("empty Socket.IO packet");
        }
        PacketType type = PacketType.ofDigit(text.charAt(0));
        if (type == null) {
            throw new BadPacketException("unknown Socket.IO packet type '" + text.charAt(0) + "'");
        }
        int i = 1;
        int attachments = 0;
        if (type.binary()) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 6 || !digits(text, i, dash)) {
                throw new BadPacketException("binary packet without a valid attachment count");
            }
            attachments = Integer.parseInt(text, i, dash, 10);
            if (attachments == 0) {
                throw new BadPacketException("a binary packet announcing 0 attachments");
            }
            i = dash + 1;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        long ackId = -1;
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i > start) {
            if (i - start > 15) {
                throw new BadPacketException("ack id too long");
            }
            ackId = Long.parseLong(text, start, i, 10);
        }
        Object data = null;
        if (i < text.length()) {
            try {
                data = MAPPER.readValue(text.substring(i), Object.class);
            } catch (JsonProcessingException e) {
                throw new BadPacketException("invalid JSON in Socket.IO packet: " + e.getOriginalMessage());
            }
        }
        Packet packet = new Packet(type, namespace, ackId, data, attachments);
        validate(packet, fromServer);
        return packet;
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!Character.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static void validate(Packet packet, boolean fromServer) throws BadPacketException {
        Object data = packet.data();
        switch (packet.type()) {
            case CONNECT_ERROR -> {
                if (!fromServer || !(data instanceof Map)) {
                    throw new BadPacketException(fromServer ? "CONNECT_ERROR needs a JSON object"
                            : "a client must not send CONNECT_ERROR");
                }
            }
            case CONNECT -> {
                if (data != null && !(data instanceof Map)) {
                    throw new BadPacketException("CONNECT payload must be a JSON object (the auth data)");
                }
            }
            case DISCONNECT -> {
                if (data != null) {
                    throw new BadPacketException("DISCONNECT must not carry data");
                }
            }
            case EVENT, BINARY_EVENT -> {
                if (!(data instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof String name)) {
                    throw new BadPacketException("EVENT data must be a non-empty JSON array starting with the event name");
                }
                if (RESERVED_EVENTS.contains(name)) {
                    // socket.io's parser refuses them too: a client must not fake the server's own events
                    throw new BadPacketException("EVENT named '" + name + "', a reserved name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (packet.ackId() < 0 || !(data instanceof List)) {
                    throw new BadPacketException("ACK needs an ack id and a JSON array");
                }
            }
            default -> throw new BadPacketException("a client must not send packet type " + packet.type().digit());
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes a packet as an Engine.IO message ("4" + Socket.IO text) once, replacing byte[] values by
     * attachment placeholders (and EVENT/ACK by their BINARY_ types). The result is shared by every recipient of a
     * broadcast. Throws IllegalArgumentException when the data cannot be written as JSON.
     */
    public static Outbound encode(PacketType type, String namespace, long ackId, Object data) {
        List<byte[]> attachments = null;
        Object payload = data;
        if (data != null && BinaryAssembler.containsBinary(data)) {
            attachments = new ArrayList<>();
            payload = BinaryAssembler.deconstruct(data, attachments);
            type = type.withBinary();
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append(EnginePacketType.MESSAGE.digit()).append(type.digit());
        if (attachments != null) {
            sb.append(attachments.size()).append('-');
        }
        if (!"/".equals(namespace)) {
            sb.append(namespace).append(',');
        }
        if (ackId >= 0) {
            sb.append(ackId);
        }
        if (payload != null) {
            try {
                sb.append(MAPPER.writeValueAsString(payload));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot send these arguments as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return new Outbound(sb.toString(), attachments == null ? null : attachments.toArray(new byte[0][]));
    }

    /** Encodes an EVENT {@code [event, args...]} (with an ack id, or -1 for none). */
    public static Outbound encodeEvent(String namespace, String event, long ackId, Object[] args) {
        return encode(PacketType.EVENT, namespace, ackId, eventData(event, args));
    }

    /** Encodes a packet without data (e.g. a DISCONNECT): {@code 41} or {@code 41/admin,}. */
    public static Outbound encodeEmpty(PacketType type, String namespace) {
        return new Outbound("" + EnginePacketType.MESSAGE.digit() + type.digit() + namespacePrefix(namespace), null);
    }

    /** "" for the default namespace, else the name and a comma ("/admin,"), as written before an ack id or data. */
    public static String namespacePrefix(String namespace) {
        return "/".equals(namespace) ? "" : namespace + ",";
    }

    /** Builds the EVENT data array [name, args...]. */
    public static List<Object> eventData(String event, Object[] args) {
        List<Object> list = new ArrayList<>(args.length + 1);
        list.add(event);
        for (Object arg : args) {
            list.add(arg);
        }
        return list;
    }

    /** True for the names in {@link #RESERVED_EVENTS}. */
    public static boolean reserved(String event) {
        return RESERVED_EVENTS.contains(event);
    }

    /** Throws IllegalArgumentException for a null or reserved event name: called before emitting. */
    public static void checkEmittable(String event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        if (RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name and cannot be emitted");
        }
    }

    /** Size in bytes of a string when UTF-8 encoded, for maxPayload checks. */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * What a peer sent, made safe for a log line: cut to 80 characters (with the full length), control characters
     * (CR, LF, ESC...) written as {@code \\uXXXX}, so that client input can neither forge log lines nor flood them.
     */
    public static String abbreviate(String text) {
        return abbreviate(text, 80);
    }

    /** Like {@link #abbreviate(String)}, cut to {@code max} characters. */
    public static String abbreviate(String text, int max) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), max);
        StringBuilder sb = new StringBuilder(end + 24);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > end) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
