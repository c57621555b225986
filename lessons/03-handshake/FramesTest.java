import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FramesTest {
    private static final byte[] RFC_MASK = bytes(0x37, 0xfa, 0x21, 0x3d);
    /** RFC 6455 section 5.7: "Hello" in one unmasked text frame (as a server sends it). */
    private static final byte[] HELLO_UNMASKED = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    /** RFC 6455 section 5.7: "Hello" in one masked text frame (as a client sends it). */
    private static final byte[] HELLO_MASKED = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] join(byte[] head, byte[] payload) {
        byte[] all = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }

    private static InputStream wire(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return new ByteArrayInputStream(all.toByteArray());
    }

    private static String hex(byte[] bytes, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(count, bytes.length); i++) {
            text.append(String.format("%02x ", bytes[i] & 0xFF));
        }
        return text.toString().trim();
    }

    // task 3

    @Test
    @Tag("task:3")
    @DisplayName("encode() writes RFC 6455's masked \"Hello\" example byte for byte")
    void encodeRfcExample() {
        byte[] frame = Frames.encode(Frames.TEXT, "Hello".getBytes(StandardCharsets.UTF_8), RFC_MASK);
        assertThat(hex(frame, 20)).as("encode(TEXT, \"Hello\", mask 37 fa 21 3d)")
                .isEqualTo("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    }

    @Test
    @Tag("task:3")
    @DisplayName("encode() picks the right length form: 7 bits up to 125, then 126 + 2 bytes, then 127 + 8 bytes")
    void encodeLengthForms() {
        byte[] small = Frames.encode(Frames.BINARY, new byte[125], RFC_MASK);
        byte[] medium = Frames.encode(Frames.BINARY, new byte[126], RFC_MASK);
        byte[] large = Frames.encode(Frames.BINARY, new byte[65_536], RFC_MASK);
        assertThat(hex(small, 6)).as("first bytes for 125 bytes of payload").isEqualTo("82 fd 37 fa 21 3d");
        assertThat(hex(medium, 8)).as("first bytes for 126 bytes of payload").isEqualTo("82 fe 00 7e 37 fa 21 3d");
        assertThat(hex(large, 14)).as("first bytes for 65536 bytes of payload")
                .isEqualTo("82 ff 00 00 00 00 00 01 00 00 37 fa 21 3d");
        assertThat(new int[] {small.length, medium.length, large.length}).as("total frame sizes")
                .containsExactly(2 + 4 + 125, 4 + 4 + 126, 10 + 4 + 65_536);
    }

    @Test
    @Tag("task:3")
    @DisplayName("Undertow accepts a frame from encode() and echoes its text")
    void undertowEchoesEncodedFrame() throws IOException {
        try (EchoServer server = new EchoServer(0); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Handshake.upgrade(in, out, "127.0.0.1:" + server.port(), "/echo");
            in.readNBytes(2 + EchoServer.WELCOME.length());
            String text = "a frame made by hand, " + "x".repeat(200);
            out.write(Frames.encode(Frames.TEXT, text.getBytes(StandardCharsets.UTF_8), Frames.newMask()));
            out.flush();
            byte[] head = in.readNBytes(4);
            assertThat(hex(head, 4)).as("the echo's header (Undertow closes instead when your frame is wrong)")
                    .isEqualTo("81 7e 00 " + String.format("%02x", text.length()));
            assertThat(new String(in.readNBytes(text.length()), StandardCharsets.UTF_8)).as("the echo's text").isEqualTo(text);
        }
    }

    // task 4: check() on its own

    /** What {@code call} threw, described as {@code what}: fails with that description when it threw nothing. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String what, ThrowingCallable call) {
        return assertThat(catchThrowable(call)).as(what + ": it must throw a FrameException")
                .isInstanceOf(Frames.FrameException.class);
    }

    @Test
    @Tag("task:4")
    @DisplayName("check() lets correct headers through: a masked client text frame, an unmasked server ping of 125 bytes")
    void checkAcceptsCorrectFrames() throws IOException {
        Frames.check(0, Frames.TEXT, true, 5, true, 1000);
        Frames.check(0, Frames.PING, false, 125, false, 1000);
        Frames.check(0, Frames.CONTINUATION, false, 1000, false, 1000);
    }

    @Test
    @Tag("task:4")
    @DisplayName("check() refuses a reserved opcode, saying \"reserved opcode\"")
    void refusesReservedOpcode() {
        refused("check() of opcode 3", () -> Frames.check(0, 0x3, false, 0, false, 1000)).hasMessageContaining("reserved opcode");
        refused("check() of opcode 0xB", () -> Frames.check(0, 0xB, false, 0, false, 1000)).hasMessageContaining("reserved opcode");
    }

    @Test
    @Tag("task:4")
    @DisplayName("check() refuses an unmasked client frame (\"not masked\") and a masked server frame (\"masked\")")
    void refusesWrongMasking() {
        refused("check(fromClient = true) of an unmasked frame", () -> Frames.check(0, Frames.TEXT, false, 5, true, 1000))
                .hasMessageContaining("not masked");
        refused("check(fromClient = false) of a masked frame", () -> Frames.check(0, Frames.TEXT, true, 5, false, 1000))
                .hasMessageContaining("masked");
    }

    @Test
    @Tag("task:4")
    @DisplayName("check() refuses a length over the limit, and a 64-bit length with its top bit set, as \"too long\"")
    void refusesTooLong() {
        refused("check() of 4 GiB with a 1 MiB limit", () -> Frames.check(0, Frames.BINARY, false, 1L << 32, false, 1 << 20))
                .hasMessageContaining("too long");
        refused("check() of 256 bytes with a 255-byte limit", () -> Frames.check(0, Frames.TEXT, false, 256, false, 255))
                .hasMessageContaining("too long");
        refused("check() of the length 0x8000000000000000 (top bit set: negative as a long)",
                () -> Frames.check(0, Frames.BINARY, false, Long.MIN_VALUE, false, 1 << 20)).hasMessageContaining("too long");
    }

    @Test
    @Tag("task:4")
    @DisplayName("check() refuses rsv bits without an extension (\"rsv\") and a control frame over 125 bytes (\"control\")")
    void refusesRsvAndBigControlFrames() {
        refused("check() with rsv 0x40 (RSV1 set)", () -> Frames.check(0x40, Frames.TEXT, false, 0, false, 1000))
                .hasMessageContaining("rsv");
        refused("check() with rsv 0x10 (RSV3 set)", () -> Frames.check(0x10, Frames.TEXT, false, 0, false, 1000))
                .hasMessageContaining("rsv");
        refused("check() of a 126-byte ping", () -> Frames.check(0, Frames.PING, false, 126, false, 1000))
                .hasMessageContaining("control");
    }

    // task 5: decode() (it calls check() of task 4)

    @Test
    @Tag("task:5")
    @DisplayName("decode() reads RFC 6455's unmasked and masked \"Hello\" frames")
    void decodeRfcExamples() throws IOException {
        Frames.Frame fromServer = Frames.decode(wire(HELLO_UNMASKED), false, 1000);
        Frames.Frame fromClient = Frames.decode(wire(HELLO_MASKED), true, 1000);
        assertThat(fromServer.fin()).as("FIN of 81 05 ...").isTrue();
        assertThat(fromServer.opcode()).as("opcode of 81 05 ...").isEqualTo(Frames.TEXT);
        assertThat(fromServer.text()).as("text of 81 05 48 65 6c 6c 6f").isEqualTo("Hello");
        assertThat(fromServer.mask()).as("mask of an unmasked frame").isNull();
        assertThat(fromClient.text()).as("text of the masked frame, after unmasking").isEqualTo("Hello");
        assertThat(fromClient.mask()).as("mask of the masked frame").containsExactly(RFC_MASK);
    }

    @Test
    @Tag("task:5")
    @DisplayName("decode() reads a message split in two frames: FIN is 0 on the first, the second is a continuation")
    void decodeFragments() throws IOException {
        InputStream in = wire(bytes(0x01, 0x03, 0x48, 0x65, 0x6c), bytes(0x80, 0x02, 0x6c, 0x6f));
        Frames.Frame first = Frames.decode(in, false, 1000);
        Frames.Frame second = Frames.decode(in, false, 1000);
        assertThat(first.fin()).as("FIN of 01 03 48 65 6c").isFalse();
        assertThat(first.opcode()).as("opcode of the first fragment").isEqualTo(Frames.TEXT);
        assertThat(second.fin()).as("FIN of 80 02 6c 6f").isTrue();
        assertThat(second.opcode()).as("opcode of the second fragment").isEqualTo(Frames.CONTINUATION);
        assertThat(first.text() + second.text()).as("both payloads together").isEqualTo("Hello");
    }

    @Test
    @Tag("task:5")
    @DisplayName("decode() reads the 16-bit and the 64-bit length forms (RFC 6455's 256-byte and 64 KiB examples)")
    void decodeLongForms() throws IOException {
        byte[] payload256 = new byte[256];
        Arrays.fill(payload256, (byte) 7);
        byte[] payload64k = new byte[65_536];
        Arrays.fill(payload64k, (byte) 9);
        InputStream in = wire(join(bytes(0x82, 0x7E, 0x01, 0x00), payload256),
                join(bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0), payload64k), HELLO_UNMASKED);
        assertThat(Frames.decode(in, false, 100_000).payload()).as("payload of 82 7e 01 00 ...").containsExactly(payload256);
        assertThat(Frames.decode(in, false, 100_000).payload()).as("payload of 82 7f 00 00 00 00 00 01 00 00 ...")
                .containsExactly(payload64k);
        assertThat(Frames.decode(in, false, 100_000).text()).as("the frame after them (read exactly the payload)")
                .isEqualTo("Hello");
    }

    @Test
    @Tag("task:5")
    @DisplayName("decode() refuses a frame cut short with an exception that says it is truncated")
    void decodeRefusesTruncated() {
        refused("decode() of 81 05 48 65 6c (5 bytes announced, 3 sent)",
                () -> Frames.decode(wire(bytes(0x81, 0x05, 0x48, 0x65, 0x6c)), false, 1000)).hasMessageContaining("truncated");
        refused("decode() of 82 7e 01 (the 2-byte length stops after 1)",
                () -> Frames.decode(wire(bytes(0x82, 0x7E, 0x01)), false, 1000)).hasMessageContaining("truncated");
    }

    @Test
    @Tag("task:5")
    @DisplayName("decode() calls check() before reading the payload: RSV1, an unmasked client frame, 4 GiB and a top-bit length are refused")
    void decodeChecksTheHeader() {
        refused("decode() of c1 00 (RSV1 set)", () -> Frames.decode(wire(bytes(0xC1, 0x00)), false, 1000))
                .hasMessageContaining("rsv");
        refused("decode(fromClient = true) of the unmasked \"Hello\"", () -> Frames.decode(wire(HELLO_UNMASKED), true, 1000))
                .hasMessageContaining("not masked");
        refused("decode() of a frame announcing 4 GiB with a 1 MiB limit (and no payload sent)",
                () -> Frames.decode(wire(bytes(0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0)), false, 1 << 20)).hasMessageContaining("too long");
        refused("decode() of 82 7f 80 00 00 00 00 00 00 00 (a 64-bit length with its top bit set)",
                () -> Frames.decode(wire(bytes(0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0)), false, 1 << 20)).hasMessageContaining("too long");
    }
}
