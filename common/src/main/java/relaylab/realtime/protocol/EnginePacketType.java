package relaylab.realtime.protocol;

/**
 * The seven Engine.IO v4 packet types, each written as one digit at the start of a WebSocket text frame or a
 * polling record: {@code 4} carries a Socket.IO packet ({@code 42["chat","hi"]}), {@code 2}/{@code 3} are the
 * server's ping and the client's pong.
 */
public enum EnginePacketType {
    /** The server's first packet: sid, upgrades, pingInterval, pingTimeout, maxPayload as JSON. */
    OPEN,
    /** Either side closes the session. */
    CLOSE,
    /** The server's heartbeat (and "2probe" on an upgrade probe). */
    PING,
    /** The client's answer to a ping (and "3probe" from the server on a probe). */
    PONG,
    /** A Socket.IO packet follows. */
    MESSAGE,
    /** The client switches the session from polling to the probed WebSocket. */
    UPGRADE,
    /** Nothing: ends a poll during an upgrade. */
    NOOP;

    private static final EnginePacketType[] BY_DIGIT = values();

    /** The digit that starts this packet, '0' to '6'. */
    public char digit() {
        return (char) ('0' + ordinal());
    }

    /** The type written as {@code digit}, or null when it is not an Engine.IO packet type. */
    public static EnginePacketType ofDigit(char digit) {
        int i = digit - '0';
        return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
    }
}
