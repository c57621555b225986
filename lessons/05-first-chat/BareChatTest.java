import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BareChatTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private BareChat chat;

    @BeforeEach
    void startChat() throws InterruptedException {
        chat = start(logged::add);
    }

    @AfterEach
    void stopChat() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        TwoChats.stop(chat);
    }

    /** A bare chat on a free port of 127.0.0.1 that logs to {@code log}; stop it with TwoChats.stop. */
    static BareChat start(java.util.function.Consumer<String> log) throws InterruptedException {
        BareChat chat = TwoChats.startBare("127.0.0.1", 0);
        chat.log = log;
        return chat;
    }

    /** A Java-WebSocket client of the bare chat, connected, that has received its welcome. */
    private Client client() throws InterruptedException {
        Client client = Client.connect(chat);
        opened.add(client::closeBlocking);
        client.await("its welcome", f -> "welcome".equals(f.path("type").asText()));
        return client;
    }

    private static Predicate<JsonNode> chatFrom(int from, String text) {
        return f -> "chat".equals(f.path("type").asText()) && f.path("from").asInt() == from && text.equals(f.path("text").asText());
    }

    /** The server's side of the connection of the user with this number. */
    private WebSocket connectionOf(int number) {
        return chat.users.entrySet().stream().filter(e -> e.getValue() == number).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("the server's users " + chat.users.values() + " have no number " + number));
    }

    @Test
    @Tag("task:1")
    @DisplayName("each connection is welcomed with its own number, {\"type\":\"welcome\",\"you\":N}, and remembered in users")
    void welcomeWithNumber() throws InterruptedException {
        Client a = client();
        Client b = client();
        assertThat(a.number()).as("the number in the first connection's welcome").isEqualTo(1);
        assertThat(b.number()).as("the number in the second connection's welcome").isEqualTo(2);
        assertThat(chat.users).as("the server's users: each open connection with its number")
                .hasSize(2).containsValues(1, 2);
        assertThat(a.frames).as("what the first connection received").hasSize(1);
    }

    @Test
    @Tag("task:2")
    @DisplayName("a message reaches every connection, the sender too, as {\"type\":\"chat\",\"from\":N,\"text\":...}")
    void relayReachesEveryone() throws InterruptedException {
        List<Client> clients = List.of(client(), client(), client());
        clients.get(1).send("{\"text\": \"  hi there  \"}");
        for (Client c : clients) {
            c.await("the chat message from user 2", chatFrom(2, "hi there"));
        }
    }

    @Test
    @Tag("task:2")
    @DisplayName("messages from two users reach all three connections, each exactly once")
    void eachMessageOnce() throws InterruptedException {
        List<Client> clients = List.of(client(), client(), client());
        clients.get(0).send("{\"text\":\"one\"}");
        clients.get(1).send("{\"text\":\"two\"}");
        for (Client c : clients) {
            c.await("message one", chatFrom(1, "one"));
            c.await("message two", chatFrom(2, "two"));
        }
        clients.get(2).send("{\"text\":\"last\"}");
        for (Client c : clients) {
            c.await("the last message", chatFrom(3, "last"));
            assertThat(c.frames).as("%s: the welcome and each of the three messages once", c).hasSize(4);
        }
    }

    @Test
    @Tag("task:2")
    @DisplayName("a bad message (not JSON, no text, empty, too long) reaches nobody; its sender gets a problem saying why")
    void badMessagesAreRefused() throws InterruptedException {
        Client sender = client();
        Client other = client();
        for (String bad : List.of("hi", "{\"txt\":\"hi\"}", "{\"text\":\"   \"}", "{\"text\":\"" + "x".repeat(501) + "\"}")) {
            int before = sender.frames.size();
            sender.send(bad);
            sender.await("a problem frame for " + bad, before, f -> "problem".equals(f.path("type").asText()));
        }
        sender.send("{\"text\":\"fine\"}");
        other.await("the good message", chatFrom(1, "fine"));
        assertThat(other.frames).as("what the other user received: the welcome and the good message only").hasSize(2);
        assertThat(sender.frames.stream().filter(f -> "problem".equals(f.path("type").asText())).map(f -> f.path("text").asText()))
                .as("the problems the sender was told about").hasSize(4).anyMatch(t -> t.contains("JSON"))
                .anyMatch(t -> t.contains("empty")).anyMatch(t -> t.contains("500"));
    }

    @Test
    @Tag("task:2")
    @DisplayName("a connection that is no longer open but not yet forgotten does not stop the relay")
    void closedConnectionDoesNotStopTheRelay() throws InterruptedException {
        Client a = client();
        Client b = client();
        // a connection that is no longer open but still among the users: the moment between its close and onClose
        chat.users.put(new WebSocketImpl(chat, new Draft_6455()), 99);
        assertThatCode(() -> chat.relay(connectionOf(a.number()), "still here"))
                .as("relay() with a connection among the users that is no longer open").doesNotThrowAnyException();
        a.await("the message", chatFrom(1, "still here"));
        b.await("the message", chatFrom(1, "still here"));
    }

    @Test
    @Tag("task:3")
    @DisplayName("a closed tab is forgotten (and logged as \"User N left\"), and the others chat on")
    void closedTabIsForgotten() throws InterruptedException {
        Client a = client();
        Client b = client();
        Client c = client();
        c.closeBlocking();
        awaitTrue("the server forgets user 3 after it closed", () -> chat.users.size() == 2 && !chat.users.containsValue(3));
        assertThat(logged).as("what the server logged").anyMatch(line -> line.contains("User 3 left"));
        a.send("{\"text\":\"bye Carol\"}");
        a.await("the message", chatFrom(1, "bye Carol"));
        b.await("the message", chatFrom(1, "bye Carol"));
    }

    @Test
    @Tag("task:3")
    @DisplayName("a broken connection (onError) is logged as \"User N broke\", forgotten and closed; the relay goes on")
    void brokenConnectionDoesNotStopTheRelay() throws Exception {
        Client a = client();
        Client b = client();
        try (Socket raw = new Socket("127.0.0.1", chat.getPort())) {
            upgrade(raw);
            awaitTrue("the server welcomes the raw connection as user 3", () -> chat.users.containsValue(3));
            // a masked text frame (mask 0) whose payload C3 28 is not UTF-8: the library calls onError
            raw.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, (byte) 0xC3, 0x28});
            raw.getOutputStream().flush();
            awaitTrue("the server forgets the broken user 3", () -> !chat.users.containsValue(3));
            assertThat(logged).as("what the server logged").anyMatch(line -> line.contains("User 3 broke"));
            InputStream in = raw.getInputStream();
            assertThatCode(() -> {
                while (in.read() >= 0) {
                    continue; // the welcome and a close frame come before the end of the stream
                }
            }).as("the server closes the broken connection within %d s", WAIT.toSeconds()).doesNotThrowAnyException();
        }
        a.send("{\"text\":\"are we still on?\"}");
        a.await("the message after the error", chatFrom(1, "are we still on?"));
        b.await("the message after the error", chatFrom(1, "are we still on?"));
        assertThat(chat.users).as("the server's users after the error").hasSize(2);
    }

    /** Performs the WebSocket upgrade on a raw socket and reads the 101 response. */
    private static void upgrade(Socket raw) throws IOException {
        raw.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = raw.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = raw.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed the raw connection during the upgrade: " + response);
            }
            response.append((char) b);
        }
        assertThat(response.toString()).as("the server's answer to the upgrade").startsWith("HTTP/1.1 101");
    }

    /** Waits until {@code condition} holds, checking every 10 ms, for at most WAIT. */
    void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            failIfTodo(chat);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + WAIT.toSeconds() + " s until " + what + "; the server's users are "
                        + chat.users.values() + " and it logged " + logged);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Fails at once, with the TODO's own words, when a server handler ran into an unfinished TODO. */
    static void failIfTodo(BareChat chat) {
        UnsupportedOperationException todo = chat.unfinished.getNow(null);
        if (todo != null) {
            throw new AssertionError("The server ran into an unfinished TODO: " + todo.getMessage(), todo);
        }
    }

    /** A test client on Java-WebSocket's WebSocketClient: keeps every frame the server sent, parsed as JSON. */
    static final class Client extends WebSocketClient {
        final List<JsonNode> frames = new CopyOnWriteArrayList<>();
        private final BareChat chat;

        private Client(URI uri, BareChat chat) {
            super(uri);
            this.chat = chat;
        }

        static Client connect(BareChat chat) throws InterruptedException {
            Client client = new Client(URI.create("ws://127.0.0.1:" + chat.getPort()), chat);
            assertThat(client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("a test client connects to the bare chat on port %d", chat.getPort()).isTrue();
            return client;
        }

        /** The number the server's welcome gave this client. */
        int number() {
            return frames.stream().filter(f -> "welcome".equals(f.path("type").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(this + " got no welcome; it received " + frames)).path("you").asInt();
        }

        /** Waits until a frame matching {@code match} has arrived; fails early when the server hit a TODO. */
        JsonNode await(String what, Predicate<JsonNode> match) throws InterruptedException {
            return await(what, 0, match);
        }

        /** Waits until a frame matching {@code match} has arrived, looking only at frames from index {@code from} on. */
        synchronized JsonNode await(String what, int from, Predicate<JsonNode> match) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (int i = from; i < frames.size(); i++) {
                    if (match.test(frames.get(i))) {
                        return frames.get(i);
                    }
                }
                failIfTodo(chat);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(this + " waited " + WAIT.toSeconds() + " s for " + what + " but received " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public synchronized void onMessage(String message) {
            try {
                frames.add(TwoChats.JSON.readTree(message));
            } catch (JsonProcessingException e) {
                frames.add(TwoChats.JSON.getNodeFactory().textNode("not JSON: " + message));
            }
            notifyAll();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
            frames.add(TwoChats.JSON.getNodeFactory().textNode("client error: " + ex));
        }

        @Override
        public String toString() {
            return "test client " + getLocalSocketAddress();
        }
    }
}
