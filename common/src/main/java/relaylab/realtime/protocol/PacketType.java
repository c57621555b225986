package relaylab.realtime.protocol;

/**
 * The seven Socket.IO v5 packet types, each written as one digit at the start of a packet's text
 * ({@code 2["chat","hi"]} is an EVENT). The BINARY_ types announce attachments that follow as binary frames.
 */
public enum PacketType {
    /** A client joins a namespace (its data is the auth object); the server answers with {@code {"sid":...}}. */
    CONNECT,
    /** Either side leaves a namespace. */
    DISCONNECT,
    /** An event: {@code ["name", args...]}, with an ack id when the sender waits for a reply. */
    EVENT,
    /** The reply to an event sent with an ack id: the same id and the reply's arguments. */
    ACK,
    /** The server refuses a CONNECT: {@code {"message":..,"data":..}}. */
    CONNECT_ERROR,
    /** An EVENT whose arguments hold binary data, sent as attachments after the text. */
    BINARY_EVENT,
    /** An ACK whose arguments hold binary data. */
    BINARY_ACK;

    private static final PacketType[] BY_DIGIT = values();

    /** The digit that starts this packet's text, '0' to '6'. */
    public char digit() {
        return (char) ('0' + ordinal());
    }

    /** The type written as {@code digit}, or null when the digit is not a Socket.IO packet type. */
    public static PacketType ofDigit(char digit) {
        int i = digit - '0';
        return i >= 0 && i < BY_DIGIT.length ? BY_DIGIT[i] : null;
    }

    /** True for BINARY_EVENT and BINARY_ACK, the types followed by attachments. */
    public boolean binary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /** True for EVENT and BINARY_EVENT. */
    public boolean event() {
        return this == EVENT || this == BINARY_EVENT;
    }

    /** True for ACK and BINARY_ACK. */
    public boolean ack() {
        return this == ACK || this == BINARY_ACK;
    }

    /** The type to send when the data holds byte arrays: EVENT becomes BINARY_EVENT, ACK becomes BINARY_ACK. */
    public PacketType withBinary() {
        return this == EVENT ? BINARY_EVENT : this == ACK ? BINARY_ACK : this;
    }
}
