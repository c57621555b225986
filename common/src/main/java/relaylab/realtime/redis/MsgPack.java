package relaylab.realtime.redis;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack as the Node redis adapter writes it (its notepack.io parser): maps with string keys, arrays,
 * strings, integers, doubles, booleans, nil and binary. Values come in as Map/List/String/Long/Double/Boolean/
 * byte[]/null (what Jackson makes of JSON), and go out as the same.
 */
final class MsgPack {
    private MsgPack() {
    }

    static byte[] encode(Object value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value + " as MessagePack", e);
        }
    }

    private static void pack(MessageBufferPacker packer, Object value) throws IOException {
        if (value == null) {
            packer.packNil();
        } else if (value instanceof String s) {
            packer.packString(s);
        } else if (value instanceof Boolean b) {
            packer.packBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            packer.packLong(((Number) value).longValue());
        } else if (value instanceof Number n) {
            packer.packDouble(n.doubleValue());
        } else if (value instanceof byte[] bytes) {
            packer.packBinaryHeader(bytes.length);
            packer.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                packer.packString(String.valueOf(e.getKey()));
                pack(packer, e.getValue());
            }
        } else if (value instanceof List<?> list) {
            packer.packArrayHeader(list.size());
            for (Object item : list) {
                pack(packer, item);
            }
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName()
                    + " as MessagePack; convert it to maps and lists first");
        }
    }

    /** Decodes one value; throws IllegalArgumentException naming what was wrong for a malformed message. */
    static Object decode(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            Object value = unpack(unpacker);
            if (unpacker.hasNext()) {
                throw new IllegalArgumentException("trailing bytes after the MessagePack value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a MessagePack value (" + e.getMessage() + ")", e);
        }
    }

    private static Object unpack(MessageUnpacker unpacker) throws IOException {
        ValueType type = unpacker.getNextFormat().getValueType();
        switch (type) {
            case NIL -> {
                unpacker.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return unpacker.unpackBoolean();
            }
            case INTEGER -> {
                return unpacker.unpackLong();
            }
            case FLOAT -> {
                return unpacker.unpackDouble();
            }
            case STRING -> {
                return unpacker.unpackString();
            }
            case BINARY -> {
                return unpacker.readPayload(unpacker.unpackBinaryHeader());
            }
            case ARRAY -> {
                int n = unpacker.unpackArrayHeader();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(unpack(unpacker));
                }
                return list;
            }
            case MAP -> {
                int n = unpacker.unpackMapHeader();
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(String.valueOf(unpack(unpacker)), unpack(unpacker));
                }
                return map;
            }
            default -> {
                // notepack writes JS undefined as a fixext; read it as null, like a missing value
                unpacker.skipValue();
                return null;
            }
        }
    }
}
