package relaylab.realtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import relaylab.realtime.protocol.PacketCodec;

/**
 * The JSON mapping used by the realtime core (Jackson). Event arguments arrive as plain Java values
 * (String, Integer/Long/Double, Boolean, null, {@code Map<String,Object>}, {@code List<Object>},
 * {@code byte[]} for binary); call {@link #convert} when you want a record or another typed value.
 */
public final class RealtimeJson {
    static final ObjectMapper MAPPER = PacketCodec.MAPPER;

    private RealtimeJson() {
    }

    /**
     * Converts one received event argument (e.g. {@code args.get(0)}) to a typed value such as a record.
     * Called by handlers that want typed data; throws IllegalArgumentException when the shape does not fit.
     */
    public static <T> T convert(Object value, Class<T> type) {
        return MAPPER.convertValue(value, type);
    }

    /** Like {@link #convert(Object, Class)} for generic types built with {@link #mapper()}'s type factory. */
    public static <T> T convert(Object value, JavaType type) {
        return MAPPER.convertValue(value, type);
    }

    /** The shared ObjectMapper; use it for reading or writing JSON the same way the core does. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
