import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Someone on the network between a client and the chat, with lesson 03's trace in hand: a relay on a free port of
 * 127.0.0.1 that forwards every byte to the chat and keeps a copy of both directions. Over ws:// it reads the upgrade
 * request and every frame (a client's mask is no secret: its key travels in the frame). Over wss:// it sees TLS
 * records: a 5-byte header (content type, version, length), then opaque bytes. Nothing to write here.
 */
final class WireTap implements AutoCloseable {
    private static final String[] TLS_TYPES = {"change cipher spec", "alert", "handshake", "application data"};
    private final ServerSocket listener;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    /** A TLS record as the tap sees it: only the header is readable. */
    record TlsRecord(int type, int version, int length) { }

    WireTap(int chatPort) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket chat = new Socket(InetAddress.getLoopbackAddress(), chatPort);
                    relay(client, chat, sent);
                    relay(chat, client, received);
                } catch (IOException e) {
                    return;   // the tap was closed
                }
            }
        }, "wire-tap");
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** What crossed so far: the client's bytes, then the chat's. */
    byte[] sent() {
        synchronized (sent) {
            return sent.toByteArray();
        }
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** The records of a TLS stream, or an empty list when the bytes are not TLS (a record starts 0x14..0x17, 0x03). */
    static List<TlsRecord> tlsRecords(byte[] bytes) {
        List<TlsRecord> records = new ArrayList<>();
        for (int at = 0; at + 5 <= bytes.length; ) {
            int type = bytes[at] & 0xFF;
            if (type < 20 || type > 23 || bytes[at + 1] != 3) {
                return List.of();
            }
            int length = ((bytes[at + 3] & 0xFF) << 8) | (bytes[at + 4] & 0xFF);
            records.add(new TlsRecord(type, ((bytes[at + 1] & 0xFF) << 8) | (bytes[at + 2] & 0xFF), length));
            at += 5 + length;
        }
        return records;
    }

    /** What a reader of a plain stream gets: the HTTP head as text, then each WebSocket frame's payload, unmasked. */
    static String readable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int head = text.indexOf("\r\n\r\n");
        if (!text.startsWith("GET ") && !text.startsWith("HTTP/") || head < 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.substring(0, head + 4));
        for (int at = head + 4; at + 2 <= bytes.length; ) {
            int length = bytes[at + 1] & 0x7F;
            int start = at + 2;
            if (length == 126 || length == 127) {
                int size = length == 126 ? 2 : 8;
                length = 0;
                for (int i = 0; i < size; i++) {
                    length = (length << 8) | (bytes[start + i] & 0xFF);
                }
                start += size;
            }
            boolean masked = (bytes[at + 1] & 0x80) != 0;
            int data = start + (masked ? 4 : 0);
            for (int i = 0; i < length && data + i < bytes.length; i++) {
                out.append((char) (masked ? bytes[data + i] ^ bytes[start + i % 4] : bytes[data + i]));
            }
            out.append('\n');
            at = data + length;
        }
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Prints what the tap saw, then says whether any of the secrets was readable in it. */
    String verdict(String... secrets) {
        List<String> read = new ArrayList<>();
        String[] directions = {"client → chat", "chat → client"};
        byte[][] streams = {sent(), received()};
        for (int i = 0; i < 2; i++) {
            String plain = readable(streams[i]);
            System.out.println(directions[i] + ", " + describe(streams[i], tlsRecords(streams[i]), plain));
            for (String secret : secrets) {
                boolean seen = plain.contains(secret) || new String(streams[i], StandardCharsets.UTF_8).contains(secret);
                if (seen && !read.contains(secret)) {
                    read.add(secret);
                }
            }
        }
        int records = tlsRecords(streams[0]).size() + tlsRecords(streams[1]).size();
        return read.isEmpty() ? "blocked: " + records + " TLS records crossed the tap; neither the message nor the token"
                + " is in their " + (streams[0].length + streams[1].length) + " bytes"
                : "GOT IN: a tap on the wire read " + String.join(" and ", read.stream().map(s -> "\"" + s + "\"").toList());
    }

    private static String describe(byte[] bytes, List<TlsRecord> records, String plain) {
        StringBuilder out = new StringBuilder(bytes.length + " bytes:\n");
        if (!records.isEmpty()) {
            int at = 0;
            for (TlsRecord record : records.subList(0, Math.min(8, records.size()))) {
                out.append(String.format("    %s  %s record, version 0x%04x, %d bytes: %s ... (%s)%n",
                        HexFormat.ofDelimiter(" ").formatHex(bytes, at, at + 5), TLS_TYPES[record.type() - 20],
                        record.version(), record.length(), HexFormat.of().formatHex(bytes, at + 5,
                                Math.min(bytes.length, at + 5 + Math.min(8, record.length()))),
                        record.type() == 23 ? "encrypted" : "no chat data"));
                at += 5 + record.length();
            }
            return out.append(records.size() > 8 ? "    ... " + (records.size() - 8) + " more records\n" : "").toString();
        }
        String shown = plain.isEmpty() ? new String(bytes, StandardCharsets.UTF_8) : plain;
        return out.append("    ").append(shown.length() > 700 ? shown.substring(0, 700) + " ..." : shown)
                .toString().replace("\r\n", "\n").replace("\n", "\n    ");
    }

    private static void relay(Socket from, Socket to, ByteArrayOutputStream copy) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                closeQuietly(to);   // the other direction ended first and closed this socket: end this one too
            }
        }, "wire-tap-relay");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            System.err.println("wire tap: cannot close " + socket + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
