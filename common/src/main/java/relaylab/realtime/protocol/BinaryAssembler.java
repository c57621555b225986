package relaylab.realtime.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a binary packet back together: a BINARY_EVENT or BINARY_ACK arrives as text with placeholders
 * {@code {"_placeholder":true,"num":N}}, followed by N+1 binary messages; once the last one is in, the placeholders
 * are replaced by the byte arrays. One per connection, used by the server and the Java client alike; not
 * thread-safe (each side feeds it from one thread or under its own lock). The encoding side is
 * {@link #deconstruct}, called by {@link PacketCodec#encode}.
 */
public final class BinaryAssembler {
    private Packet partial;
    private List<byte[]> attachments;

    /**
     * Takes a decoded packet: returns it when it is complete (no attachments announced), or null when it waits
     * for its attachments. Throws BadPacketException when a packet arrives while attachments of the previous one
     * are still expected (the waiting packet is dropped).
     */
    public Packet packet(Packet packet) throws BadPacketException {
        if (partial != null) {
            reset();
            throw new BadPacketException("a text packet arrived while binary attachments were expected");
        }
        if (packet.attachments() == 0) {
            return packet;
        }
        partial = packet;
        attachments = new ArrayList<>(packet.attachments());
        return null;
    }

    /**
     * Takes one binary message: returns the completed packet when it was the last attachment, else null. Throws
     * BadPacketException when no binary packet announced it, or when a placeholder points outside the attachments.
     */
    public Packet attachment(byte[] data) throws BadPacketException {
        if (partial == null) {
            throw new BadPacketException("unexpected binary message (no BINARY_EVENT/BINARY_ACK announced it)");
        }
        attachments.add(data);
        if (attachments.size() < partial.attachments()) {
            return null;
        }
        Packet packet = partial;
        List<byte[]> all = attachments;
        reset();
        return packet.assembled(reconstruct(packet.data(), all));
    }

    /** True while attachments are expected. */
    public boolean waiting() {
        return partial != null;
    }

    /** Forgets a packet still waiting for attachments (e.g. when its transport closed). */
    public void reset() {
        partial = null;
        attachments = null;
    }

    // ------------------------------------------------------------------ the rule, both ways

    /** True when the value holds a byte[] anywhere (in lists, arrays or map values). */
    public static boolean containsBinary(Object value) {
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

    /** A copy of {@code value} with each byte[] replaced by a placeholder and appended to {@code attachments}. */
    public static Object deconstruct(Object value, List<byte[]> attachments) {
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

    /** Replaces attachment placeholders in received data (in place) by the received byte arrays. */
    public static Object reconstruct(Object value, List<byte[]> attachments) throws BadPacketException {
        if (value instanceof Map<?, ?> map) {
            if (Boolean.TRUE.equals(map.get("_placeholder"))) {
                if (!(map.get("num") instanceof Integer num)) {
                    throw new BadPacketException("attachment placeholder without an integer num: "
                            + PacketCodec.abbreviate(String.valueOf(map.get("num"))));
                }
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
}
