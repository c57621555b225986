package relaylab.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoded Socket.IO v5 packet, plus the encoder and decoder of the text form
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}.
 *
 * @param type        0 CONNECT .. 6 BINARY_ACK
 * @param namespace   "/" when omitted
 * @param ackId       -1 when absent
 * @param data        decoded JSON (Map, List, String, Number, Boolean) or null
 * @param attachments number of binary attachments that follow (BINARY_EVENT / BINARY_ACK)
 */
record Packet(int type, String namespace, long ackId, Object data, int attachments) {
    static final int CONNECT = 0;
    static final int DISCONNECT = 1;
    static final int EVENT = 2;
    static final int ACK = 3;
    static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;

    /** Thrown for a packet that does not follow the Socket.IO v5 encoding; the message says what is wrong. */
    static final class BadPacketException extends Exception {
        BadPacketException(String message) {
            super(message);
        }
    }

    /** Decodes the Socket.IO part of an Engine.IO message sent by a client (without the leading '4'). */
    static Packet decode(String text) throws BadPacketException {
        return decode(text, false);
    }

    /** Decodes a packet; {@code fromServer} allows the packets only a server sends (CONNECT with sid, CONNECT_ERROR). */
    static Packet decode(String text, boolean fromServer) throws BadPacketException {
        if (text.isEmpty()) {
            throw new BadPacketException("empty Socket.IO packet");
        }
        int type = text.charAt(0) - '0';
        if (type < CONNECT || type > BINARY_ACK) {
            throw new BadPacketException("unknown Socket.IO packet type '" + text.charAt(0) + "'");
        }
        int i = 1;
        int attachments = 0;
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 6 || !digits(text, i, dash)) {
                throw new BadPacketException("binary packet without a valid attachment count");
            }
            attachments = Integer.parseInt(text, i, dash, 10);
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
                data = RealtimeJson.MAPPER.readValue(text.substring(i), Object.class);
            } catch (JsonProcessingException e) {
                throw new BadPacketException("invalid JSON in Socket.IO packet: " + e.getOriginalMessage());
            }
        }
        Packet packet = new Packet(type, namespace, ackId, data, attachments);
        packet.validate(fromServer);
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

    private void validate(boolean fromServer) throws BadPacketException {
        switch (type) {
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
                if (!(data instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof String)) {
                    throw new BadPacketException("EVENT data must be a non-empty JSON array starting with the event name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (ackId < 0 || !(data instanceof List)) {
                    throw new BadPacketException("ACK needs an ack id and a JSON array");
                }
            }
            default -> throw new BadPacketException("a client must not send packet type " + type);
        }
    }

    /** The event name of an EVENT packet. */
    String eventName() {
        return (String) ((List<?>) data).get(0);
    }

    /** The arguments of an EVENT (after the name) or an ACK (all of it). */
    @SuppressWarnings("unchecked")
    List<Object> arguments() {
        List<Object> list = (List<Object>) data;
        return type == EVENT || type == BINARY_EVENT ? list.subList(1, list.size()) : list;
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes a packet as an Engine.IO message ("4" + Socket.IO text) once, replacing byte[] values by
     * attachment placeholders. The result is shared by every recipient of a broadcast.
     */
    static Outbound encode(int type, String namespace, long ackId, Object data) {
        List<byte[]> attachments = null;
        Object payload = data;
        if (data != null && containsBinary(data)) {
            attachments = new ArrayList<>();
            payload = deconstruct(data, attachments);
            type = type == EVENT ? BINARY_EVENT : type == ACK ? BINARY_ACK : type;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append('4').append(type);
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
                sb.append(RealtimeJson.MAPPER.writeValueAsString(payload));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot send these arguments as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return new Outbound(sb.toString(), attachments == null ? null : attachments.toArray(new byte[0][]));
    }

    /** Builds the EVENT data array [name, args...]. */
    static List<Object> eventData(String event, Object[] args) {
        List<Object> list = new ArrayList<>(args.length + 1);
        list.add(event);
        for (Object arg : args) {
            list.add(arg);
        }
        return list;
    }

    static boolean containsBinary(Object value) {
        if (value instanceof byte[]) {
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (containsBinary(o)) {
                    return true;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object o : map.values()) {
                if (containsBinary(o)) {
                    return true;
                }
            }
        } else if (value instanceof Object[] array) {
            for (Object o : array) {
                if (containsBinary(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Object deconstruct(Object value, List<byte[]> attachments) {
        if (value instanceof byte[] bytes) {
            Map<String, Object> placeholder = new LinkedHashMap<>();
            placeholder.put("_placeholder", true);
            placeholder.put("num", attachments.size());
            attachments.add(bytes);
            return placeholder;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                copy.add(deconstruct(o, attachments));
            }
            return copy;
        }
        if (value instanceof Object[] array) {
            List<Object> copy = new ArrayList<>(array.length);
            for (Object o : array) {
                copy.add(deconstruct(o, attachments));
            }
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(e.getKey(), deconstruct(e.getValue(), attachments));
            }
            return copy;
        }
        return value;
    }

    /** Replaces attachment placeholders in received data by the received byte arrays. */
    static Object reconstruct(Object value, List<byte[]> attachments) throws BadPacketException {
        if (value instanceof Map<?, ?> map) {
            if (Boolean.TRUE.equals(map.get("_placeholder")) && map.get("num") instanceof Integer num) {
                if (num < 0 || num >= attachments.size()) {
                    throw new BadPacketException("attachment placeholder " + num + " out of range");
                }
                return attachments.get(num);
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) map;
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                e.setValue(reconstruct(e.getValue(), attachments));
            }
            return m;
        }
        if (value instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) list;
            for (int k = 0; k < l.size(); k++) {
                l.set(k, reconstruct(l.get(k), attachments));
            }
            return l;
        }
        return value;
    }

    /** Size in bytes of a string when UTF-8 encoded, for maxPayload checks. */
    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
