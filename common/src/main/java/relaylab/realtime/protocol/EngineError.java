package relaylab.realtime.protocol;

/**
 * The errors an Engine.IO v4 server answers a bad HTTP request with: the body is
 * {@code {"code":N,"message":"..."}} and the status is 400, except FORBIDDEN (403), which the reference server
 * sends when its {@code allowRequest} check refuses a handshake.
 */
public enum EngineError {
    /** 0: the {@code transport} query parameter names no transport the server offers. */
    TRANSPORT_UNKNOWN(0, "Transport unknown", 400),
    /** 1: the {@code sid} names no open session. */
    UNKNOWN_SID(1, "Session ID unknown", 400),
    /** 2: a handshake (no sid) that is not a GET. */
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    /** 3: anything else the protocol does not allow (an overlapping poll, a WebSocket request without upgrade...). */
    BAD_REQUEST(3, "Bad request", 400),
    /** 4: the server's own check refused the request (see {@code RealtimeConfig.allowRequest}). */
    FORBIDDEN(4, "Forbidden", 403),
    /** 5: {@code EIO} is not 4. */
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

    private final int code;
    private final String message;
    private final int httpStatus;

    EngineError(int code, String message, int httpStatus) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
    }

    /** The number in the JSON body. */
    public int code() {
        return code;
    }

    /** The reference server's message for this code. */
    public String message() {
        return message;
    }

    /** The HTTP status of the answer: 403 for FORBIDDEN, else 400. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The JSON body {@code {"code":N,"message":"..."}} with {@code message} (this code's own when null). */
    public String body(String message) {
        String text = message == null ? this.message : message;
        try {
            return "{\"code\":" + code + ",\"message\":" + PacketCodec.MAPPER.writeValueAsString(text) + "}";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a string as JSON", e);
        }
    }
}
