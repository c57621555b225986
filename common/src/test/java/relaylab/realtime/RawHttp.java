package relaylab.realtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, for requests no well-behaved client sends: huge headers, a body that
 * stalls, a polling POST of a million packets. One request per connection ({@code Connection: close}).
 */
final class RawHttp implements AutoCloseable {
    static final char RS = '\u001e';

    /** A response: status -1 when the server closed the connection without answering. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
    }

    /** Sends raw bytes (a request, or part of one). */
    RawHttp write(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Reads one response; status -1 if the server closed (or reset) the connection first. */
    Response read() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return new Response(-1, Map.of(), head.toString(StandardCharsets.UTF_8));
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (SocketException e) {
            return new Response(-1, Map.of(), "reset: " + e.getMessage());
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    readLine(in);
                    break;
                }
                all.write(in.readNBytes(n));
                readLine(in);
            }
            body = all.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True once the server has closed the connection (read returns end of stream or a reset). */
    boolean closedByServer() throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(200);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** One complete request with {@code Connection: close}; extra header lines end with CRLF. */
    static Response request(int port, String method, String target, String extraHeaders, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(port)) {
            http.write(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n" + extraHeaders
                    + (body == null ? "" : "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + bytes.length + "\r\n")
                    + "\r\n" + (body == null ? "" : body));
            return http.read();
        }
    }

    /** Opens a polling session and returns its sid. */
    static String openPolling(int port) throws IOException {
        Response open = request(port, "GET", "/socket.io/?EIO=4&transport=polling", "", null);
        if (open.status() != 200 || !open.body().startsWith("0{\"sid\":\"")) {
            throw new AssertionError("polling handshake failed: " + open);
        }
        int start = "0{\"sid\":\"".length();
        return open.body().substring(start, open.body().indexOf('"', start));
    }

    static Response post(int port, String sid, String body) throws IOException {
        return request(port, "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "", body);
    }

    static Response get(int port, String sid) throws IOException {
        return request(port, "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "", null);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
