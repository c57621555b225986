import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import relaylab.workbook.Exercise;

/**
 * What lesson 03's main shows: it opens a WebSocket by hand to a local Undertow echo server and
 * prints every byte both ways, labelled (WireTrace). Nothing to write here; Handshake.main runs it.
 */
final class HandshakeDemo {

    private HandshakeDemo() {
    }

    @Command(name = "lesson03", mixinStandardHelpOptions = true, version = "Relay Lab lesson 03",
            description = "Opens a WebSocket by hand to a local Undertow server and prints every byte, labelled.")
    static class Options implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "0", description = "Port of the echo server; 0 picks a free one (default ${DEFAULT-VALUE}).")
        int port;
        @Spec
        CommandSpec spec;

        /** Checks the port's range, then runs the demo; a bad value exits with status 2. */
        @Override
        public Integer call() {
            if (port < 0 || port > 65_535) {
                throw new ParameterException(spec.commandLine(),
                        "--port must be from 0 to 65535 (0 picks a free port), not " + port);
            }
            Exercise.run(Handshake.class, () -> demo(this));
            return 0;
        }
    }

    static void demo(Options options) throws IOException {
        System.out.println("acceptKey(\"" + Handshake.SAMPLE_KEY + "\") = " + Handshake.acceptKey(Handshake.SAMPLE_KEY)
                + " (RFC 6455 says s3pPLMBiTxaQ9kYGzzhZRbK+xOo=)");
        try (EchoServer server = new EchoServer(options.port);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            System.out.println("TCP connection open to 127.0.0.1:" + server.port() + "; from here on, every byte is ours.\n");
            WireTrace.Recording in = new WireTrace.Recording(new BufferedInputStream(socket.getInputStream()));
            WireTrace.Copying out = new WireTrace.Copying(socket.getOutputStream());
            Handshake.Upgrade upgrade = Handshake.upgrade(in, out, "127.0.0.1:" + server.port(), "/echo");
            WireTrace.http("client → server: the upgrade request", upgrade.request());
            WireTrace.http("server → client: the answer", upgrade.response());
            in.take();
            out.take();
            System.out.println("The same TCP connection now carries WebSocket frames, in both directions.\n");
            byte[][] messages = {"Hello".getBytes(StandardCharsets.UTF_8),
                "A longer line. ".repeat(20).getBytes(StandardCharsets.UTF_8), new byte[70_000]};
            for (int i = 0; i < messages.length; i++) {
                int opcode = messages[i].length > 65_535 ? Frames.BINARY : Frames.TEXT;
                out.write(Frames.encode(opcode, messages[i], Frames.newMask()));
                out.flush();
                WireTrace.frame("client → server", out.take(), true);
                if (i == 0) {
                    Frames.decode(in, false, Handshake.MAX_FRAME);
                    WireTrace.frame("server → client (sent unasked, right after the 101: the server may speak first)",
                            in.take(), false);
                }
                Frames.decode(in, false, Handshake.MAX_FRAME);
                WireTrace.frame("server → client (the echo)", in.take(), false);
                System.out.println();
            }
            int code = Handshake.close(in, out, 1000, "done");
            WireTrace.frame("client → server", out.take(), true);
            WireTrace.frame("server → client", in.take(), false);
            System.out.println("\nThe server answered our close with status " + code + "; the TCP connection can now end.");
        }
    }
}
