package relaylab.realtime.protocol;

import java.util.List;

/**
 * One decoded Socket.IO v5 packet. Read from text with {@link PacketCodec#decode}; the attachments of a binary
 * packet are put back in place by a {@link BinaryAssembler}.
 *
 * @param type        the packet type
 * @param namespace   "/" when omitted
 * @param ackId       -1 when absent
 * @param data        decoded JSON (Map, List, String, Number, Boolean) or null; byte[] once attachments are in place
 * @param attachments number of binary attachments that follow (BINARY_EVENT / BINARY_ACK); 0 once assembled
 */
public record Packet(PacketType type, String namespace, long ackId, Object data, int attachments) {
    /** The event name of an EVENT packet. */
    public String eventName() {
        return (String) ((List<?>) data).get(0);
    }

    /** The arguments of an EVENT (after the name) or an ACK (all of it). */
    @SuppressWarnings("unchecked")
    public List<Object> arguments() {
        List<Object> list = (List<Object>) data;
        return type.event() ? list.subList(1, list.size()) : list;
    }

    /** This packet with its data replaced (e.g. with the attachments put back) and no attachments announced. */
    Packet assembled(Object newData) {
        return new Packet(type, namespace, ackId, newData, 0);
    }
}
