package relaylab.httpchat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The Java side of the HTTP chat ({@link ChatServer}'s routes) on {@link HttpClient}, HTTP/1.1.
 * Lesson 02's polling loops call {@link #fetch}; it counts the requests it made and how many came
 * back empty, so a lesson can print what polling cost. Safe to share between threads.
 */
public final class ChatClient {
    private static final Pattern TODO = Pattern.compile("^TODO \\d+");
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final LongAdder fetches = new LongAdder();
    private final LongAdder empty = new LongAdder();

    /** A client of the chat at {@code baseUrl}, e.g. {@code http://127.0.0.1:3000} ({@link ChatServer#url()}). */
    public ChatClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }

    /**
     * Sends a message ({@code POST /messages}), stamped with {@code System.nanoTime()} as its
     * {@code sentAt}; returns it as stored, with its id.
     *
     * @throws IOException when the server is unreachable or answers with an error (its text is in the message)
     * @throws UnsupportedOperationException when the server hit an unfinished "TODO N" of the lesson
     */
    public ChatMessage post(String user, String text) throws IOException, InterruptedException {
        String body = Json.write(new ChatMessage(0, user, text, System.nanoTime()));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/messages"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return Json.message(send(request));
    }

    /**
     * Asks for the messages after id {@code since} and gets the answer at once
     * ({@code GET /messages?since=N}): one short-polling request.
     */
    public List<ChatMessage> fetch(long since) throws IOException, InterruptedException {
        return fetch("/messages?since=" + since, Duration.ofSeconds(10));
    }

    /**
     * Asks for the messages after id {@code since} and lets the server hold the request for up to
     * {@code wait} ({@code GET /messages?since=N&wait=MS}): one long-polling request. Returns an
     * empty list when the wait ran out.
     */
    public List<ChatMessage> fetch(long since, Duration wait) throws IOException, InterruptedException {
        return fetch("/messages?since=" + since + "&wait=" + wait.toMillis(), wait.plusSeconds(10));
    }

    /** How many {@code fetch} requests this client made. */
    public long requests() {
        return fetches.sum();
    }

    /** How many of those came back with no message. */
    public long emptyResponses() {
        return empty.sum();
    }

    private List<ChatMessage> fetch(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout).GET().build();
        fetches.increment();
        List<ChatMessage> messages = Json.messages(send(request));
        if (messages.isEmpty()) {
            empty.increment();
        }
        return messages;
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            return response.body();
        }
        if (response.statusCode() == 500 && TODO.matcher(response.body()).find()) {
            throw new UnsupportedOperationException(response.body());
        }
        throw new IOException(request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery())
                + " answered " + response.statusCode() + ": " + Json.abbreviate(response.body()));
    }
}
