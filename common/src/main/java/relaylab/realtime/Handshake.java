package relaylab.realtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a client sent when it connected: read it in middlewares and connection handlers, e.g. to check
 * a token in {@code auth()}.
 *
 * @param auth    the auth object of the CONNECT packet (empty when none was sent)
 * @param query   the query parameters of the first HTTP request
 * @param headers the headers of the first HTTP request (names in lower case), without the WebSocket handshake's own
 *                {@code sec-websocket-*} headers; at most {@code maxHeaderSize} bytes in all
 * @param address the remote address, e.g. "127.0.0.1:53412"
 * @param time    when the Engine.IO connection was opened
 */
public record Handshake(Map<String, Object> auth, Map<String, String> query, Map<String, List<String>> headers,
                        String address, Instant time) {
}
