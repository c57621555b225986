package relaylab.realtime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import relaylab.realtime.Handshake;
import relaylab.realtime.RealtimeJson;
import relaylab.realtime.RealtimeSocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request/response messages of {@code @socket.io/redis-adapter} 8.x between servers: their type numbers,
 * how they are read (JSON when the first byte is '{', MessagePack otherwise, as the Node adapter does) and how a
 * socket is described in an answer to {@code fetchSockets} ({@code {id, handshake, rooms, data}}, the handshake
 * in socket.io's shape).
 */
final class ClusterWire {
    private static final System.Logger LOG = System.getLogger(RedisAdapter.class.getName());
    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;

    private ClusterWire() {
    }

    /** Reads a request or response; throws IllegalArgumentException naming the problem when it is neither JSON nor MessagePack map. */
    static Map<?, ?> read(byte[] message) {
        Object value;
        if (message.length > 0 && message[0] == '{') {
            try {
                value = RealtimeJson.mapper().readValue(message, Object.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
            }
        } else {
            value = MsgPack.decode(message);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not an object but " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return map;
    }

    /** Writes a request or response as JSON, as the Node adapter does for everything but broadcasts with acks. */
    static byte[] json(Map<String, Object> message) {
        try {
            return RealtimeJson.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a message to the other servers as JSON: " + e.getOriginalMessage()
                    + "; pass JSON-serialisable values (maps, lists, strings, numbers, records)", e);
        }
    }

    static int type(Map<?, ?> message) {
        return message.get("type") instanceof Number n ? n.intValue() : -1;
    }

    static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<String> result = new ArrayList<>(list.size());
        for (Object item : list) {
            result.add(String.valueOf(item instanceof Double d && d == Math.rint(d) ? (Object) d.longValue() : item));
        }
        return result;
    }

    /** A socket of this server as socket.io describes one in an answer to fetchSockets. */
    static Map<String, Object> describe(RealtimeSocket socket, boolean secure) {
        Handshake h = socket.handshake();
        Map<String, Object> headers = new LinkedHashMap<>();
        h.headers().forEach((name, values) -> headers.put(name, values.size() == 1 ? values.get(0) : String.join(", ", values)));
        Map<String, Object> handshake = new LinkedHashMap<>();
        handshake.put("headers", headers);
        handshake.put("time", h.time() == null ? null : h.time().toString());
        handshake.put("address", host(h.address()));
        handshake.put("xdomain", headers.containsKey("origin"));
        handshake.put("secure", secure);
        handshake.put("issued", h.time() == null ? null : h.time().toEpochMilli());
        handshake.put("url", "/socket.io/");
        handshake.put("query", h.query());
        handshake.put("auth", h.auth());
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("id", socket.id());
        described.put("handshake", handshake);
        described.put("rooms", List.copyOf(socket.rooms()));
        Object data;
        try {
            data = RealtimeJson.mapper().convertValue(socket.data(), Object.class);
        } catch (IllegalArgumentException e) {
            // one socket's odd data must not spoil the whole answer (the asking server would time out)
            LOG.log(System.Logger.Level.WARNING, "the data() of socket " + socket.id() + " is not JSON-serialisable ("
                    + e.getMessage().lines().findFirst().orElse("") + "); fetchSockets on other servers sees it without data");
            data = null;
        }
        described.put("data", data);
        return described;
    }

    /** socket.io's handshake address is the client's address without the port. */
    private static String host(String address) {
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        if (address.startsWith("[") && address.indexOf(']') > 0) {
            return address.substring(1, address.indexOf(']'));
        }
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    /** The handshake of a socket another server described (socket.io's shape: header values are strings). */
    static Handshake handshake(Object value) {
        Map<?, ?> h = value instanceof Map<?, ?> m ? m : Map.of();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (h.get("headers") instanceof Map<?, ?> given) {
            given.forEach((name, v) -> headers.put(String.valueOf(name).toLowerCase(java.util.Locale.ROOT),
                    v instanceof List<?> list ? strings(list) : List.of(String.valueOf(v))));
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (h.get("query") instanceof Map<?, ?> given) {
            given.forEach((name, v) -> query.put(String.valueOf(name), String.valueOf(v)));
        }
        Map<String, Object> auth = new LinkedHashMap<>();
        if (h.get("auth") instanceof Map<?, ?> given) {
            given.forEach((name, v) -> auth.put(String.valueOf(name), v));
        }
        Instant time = h.get("issued") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
        return new Handshake(auth, query, headers, string(h.get("address")), time);
    }

    /** The data of a socket another server described: its object's fields, or nothing when it was not an object. */
    static Map<String, Object> data(Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> given) {
            given.forEach((name, v) -> data.put(String.valueOf(name), v));
        }
        return data;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
