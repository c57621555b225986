/**
 * The wire format, shared by the server ({@code relaylab.realtime}) and the Java client
 * ({@code relaylab.realtime.client}): Engine.IO v4 and Socket.IO v5 packet types and Engine.IO error codes as
 * enums, the packet encoder/decoder ({@link relaylab.realtime.protocol.PacketCodec}), the one
 * {@link relaylab.realtime.protocol.BinaryAssembler} that puts binary packets back together, and the encoded
 * message with its WebSocket frames ({@link relaylab.realtime.protocol.Outbound}). It depends on nothing else of
 * the project. Lessons do not need it: lesson 07 writes its own codec.
 */
package relaylab.realtime.protocol;
