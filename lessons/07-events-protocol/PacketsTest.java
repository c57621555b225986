import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PacketsTest {
    private static final long NO_ACK = Packets.NO_ACK;

    private static JsonNode json(String text) {
        try {
            return Packets.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in the test itself: " + text, e);
        }
    }

    private static Packet packet(PacketType type, String namespace, long ackId, String data) {
        return new Packet(type, namespace, ackId, data == null ? null : json(data));
    }

    /** A frame and the packet it means. */
    record Example(String frame, Packet packet) {
    }

    /** A frame and the rule it breaks. */
    record Bad(String frame, Rule rule) {
    }

    /** A frame, the packet it reads as, and the rule that packet breaks. */
    record Misshapen(String frame, Packet packet, Rule rule) {
    }

    /** Frames written by the official socket.io-parser 4.x encoder (with the Engine.IO "4" in front), and their meaning. */
    static final List<Example> OFFICIAL = List.of(
            new Example("40", packet(PacketType.CONNECT, "/", NO_ACK, null)),
            new Example("40/admin,{\"token\":\"abc\"}", packet(PacketType.CONNECT, "/admin", NO_ACK, "{\"token\":\"abc\"}")),
            new Example("40{\"sid\":\"Xy_1\"}", packet(PacketType.CONNECT, "/", NO_ACK, "{\"sid\":\"Xy_1\"}")),
            new Example("41/admin,", packet(PacketType.DISCONNECT, "/admin", NO_ACK, null)),
            new Example("42[\"chat\",\"hi\"]", packet(PacketType.EVENT, "/", NO_ACK, "[\"chat\",\"hi\"]")),
            new Example("4212[\"ping\",1]", packet(PacketType.EVENT, "/", 12, "[\"ping\",1]")),
            new Example("4312[\"pong\"]", packet(PacketType.ACK, "/", 12, "[\"pong\"]")),
            new Example("42/admin,7[\"kick\",{\"user\":\"bob\",\"reason\":\"spam\"}]",
                    packet(PacketType.EVENT, "/admin", 7, "[\"kick\",{\"user\":\"bob\",\"reason\":\"spam\"}]")),
            new Example("43/admin,7[]", packet(PacketType.ACK, "/admin", 7, "[]")),
            new Example("44{\"message\":\"Invalid namespace\"}",
                    packet(PacketType.CONNECT_ERROR, "/", NO_ACK, "{\"message\":\"Invalid namespace\"}")),
            new Example("42[\"chat\",\"<script>alert(1)</script>\",\"é ✓\"]",
                    packet(PacketType.EVENT, "/", NO_ACK, "[\"chat\",\"<script>alert(1)</script>\",\"é ✓\"]")));

    static final List<Bad> UNREADABLE = List.of(
            new Bad("", Rule.EMPTY),
            new Bad("2", Rule.NOT_A_MESSAGE),
            new Bad("3probe", Rule.NOT_A_MESSAGE),
            new Bad("4", Rule.UNKNOWN_TYPE),
            new Bad("49[\"x\"]", Rule.UNKNOWN_TYPE),
            new Bad("4x", Rule.UNKNOWN_TYPE),
            new Bad("451-[\"upload\",{\"_placeholder\":true,\"num\":0}]", Rule.BINARY),
            new Bad("42/admin[\"kick\"]", Rule.NAMESPACE),
            new Bad("42/admin[\"kick\",\"bob\"]", Rule.NAMESPACE),
            new Bad("421234567890123456[\"x\"]", Rule.ACK_ID),
            new Bad("42[\"chat\"", Rule.BAD_JSON),
            new Bad("42[\"chat\"]}", Rule.BAD_JSON));

    /** Frames that read fine but whose data or ack id does not fit their type: what parse() makes of them. */
    static final List<Misshapen> MISSHAPEN = List.of(
            new Misshapen("42{\"text\":\"hi\"}", packet(PacketType.EVENT, "/", NO_ACK, "{\"text\":\"hi\"}"), Rule.EVENT_SHAPE),
            new Misshapen("42[]", packet(PacketType.EVENT, "/", NO_ACK, "[]"), Rule.EVENT_SHAPE),
            new Misshapen("42[1,\"x\"]", packet(PacketType.EVENT, "/", NO_ACK, "[1,\"x\"]"), Rule.EVENT_SHAPE),
            new Misshapen("42\"chat\"", packet(PacketType.EVENT, "/", NO_ACK, "\"chat\""), Rule.EVENT_SHAPE),
            new Misshapen("4212", packet(PacketType.EVENT, "/", 12, null), Rule.EVENT_SHAPE),
            new Misshapen("43[\"ok\"]", packet(PacketType.ACK, "/", NO_ACK, "[\"ok\"]"), Rule.ACK_SHAPE),
            new Misshapen("4312{\"ok\":true}", packet(PacketType.ACK, "/", 12, "{\"ok\":true}"), Rule.ACK_SHAPE),
            new Misshapen("4312", packet(PacketType.ACK, "/", 12, null), Rule.ACK_SHAPE),
            new Misshapen("40[\"token\"]", packet(PacketType.CONNECT, "/", NO_ACK, "[\"token\"]"), Rule.CONNECT_SHAPE),
            new Misshapen("4012", packet(PacketType.CONNECT, "/", 12, null), Rule.CONNECT_SHAPE),
            new Misshapen("44", packet(PacketType.CONNECT_ERROR, "/", NO_ACK, null), Rule.CONNECT_SHAPE),
            new Misshapen("41{\"x\":1}", packet(PacketType.DISCONNECT, "/", NO_ACK, "{\"x\":1}"), Rule.CONNECT_SHAPE));

    @Test
    @Tag("task:1")
    @DisplayName("encode() writes the same frames as the official client")
    void encodesLikeTheOfficialClient() {
        SoftAssertions softly = new SoftAssertions();
        for (Example example : OFFICIAL) {
            softly.assertThat(Packets.encode(example.packet())).as("encode(%s)", example.packet()).isEqualTo(example.frame());
        }
        softly.assertAll();
    }

    @Test
    @Tag("task:1")
    @DisplayName("encode() of packets built with Packet.event() and Packet.ack() gives 42[\"name\",args...] and 43<id>[...]")
    void encodesBuiltPackets() {
        assertThat(Packets.encode(Packet.event("/", NO_ACK, "chat", "hi", 3)))
                .as("the frame of a chat event with the arguments \"hi\" and 3").isEqualTo("42[\"chat\",\"hi\",3]");
        assertThat(Packets.encode(Packet.ack("/admin", 0, "ok")))
                .as("the frame of an ack with id 0 on /admin (0 is an id too)").isEqualTo("43/admin,0[\"ok\"]");
    }

    @Test
    @Tag("task:2")
    @DisplayName("parse() reads type, namespace, ack id and data of every frame from the official client")
    void parsesOfficialFrames() {
        SoftAssertions softly = new SoftAssertions();
        for (Example example : OFFICIAL) {
            softly.assertThat(Packets.parse(example.frame())).as("parse(%s)", example.frame()).isEqualTo(example.packet());
        }
        softly.assertAll();
    }

    @Test
    @Tag("task:2")
    @DisplayName("parse() accepts a namespace without its comma at the end of the frame, as the official client does")
    void parsesNamespaceAtTheEnd() {
        assertThat(Packets.parse("40/admin")).as("parse(\"40/admin\")")
                .isEqualTo(packet(PacketType.CONNECT, "/admin", NO_ACK, null));
    }

    @Test
    @Tag("task:2")
    @DisplayName("parse() refuses a frame it cannot read with a ProtocolException naming the broken rule")
    void refusesUnreadableFrames() {
        SoftAssertions softly = new SoftAssertions();
        for (Bad bad : UNREADABLE) {
            Throwable thrown = catchThrowable(() -> Packets.parse(bad.frame()));
            expectRefusal(softly, thrown, "parse(" + bad.frame() + ")", bad.frame(), bad.rule());
        }
        softly.assertAll();
    }

    @Test
    @Tag("task:3")
    @DisplayName("check() refuses a packet whose data or ack id does not fit its type, naming the broken rule")
    void refusesMisshapenPackets() {
        SoftAssertions softly = new SoftAssertions();
        for (Misshapen bad : MISSHAPEN) {
            String call = "check() of " + bad.packet() + " read from " + bad.frame();
            Throwable thrown = catchThrowable(() -> Packets.check(bad.packet(), bad.frame()));
            expectRefusal(softly, thrown, call, bad.frame(), bad.rule());
        }
        softly.assertAll();
    }

    @Test
    @Tag("task:3")
    @DisplayName("check() lets every packet of the official client through")
    void acceptsOfficialFrames() {
        SoftAssertions softly = new SoftAssertions();
        for (Example example : OFFICIAL) {
            softly.assertThat(Packets.check(example.packet(), example.frame())).as("check() of %s", example.frame())
                    .isEqualTo(example.packet());
        }
        softly.assertAll();
    }

    private static void expectRefusal(SoftAssertions softly, Throwable thrown, String call, String frame, Rule rule) {
        if (thrown instanceof UnsupportedOperationException todo) {
            throw todo;
        }
        softly.assertThat(thrown).as("what %s threw", call).isInstanceOf(ProtocolException.class);
        if (thrown instanceof ProtocolException refused) {
            softly.assertThat(refused.rule()).as("the rule %s names", call).isEqualTo(rule);
            softly.assertThat(refused.getMessage()).as("the message of %s quotes the frame", call).contains(frame);
        }
    }
}
