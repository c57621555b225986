package relaylab.httpchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatServerTest {
    private final TestBoard board = new TestBoard();
    private final ChatServer server = ChatServer.start(board, 0);
    private final ChatClient client = new ChatClient(server.url());
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited 5 s for " + what);
            }
            Thread.sleep(10);
        }
    }

    private HttpResponse<String> raw(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("posted messages get ids 1, 2, ... and GET since=N returns the ones after N")
    void postAndFetch() throws Exception {
        assertThat(client.post("alice", "one").id()).as("first id").isEqualTo(1);
        assertThat(client.post("bob", "two").id()).as("second id").isEqualTo(2);
        assertThat(client.fetch(0)).as("since=0").extracting(ChatMessage::text).containsExactly("one", "two");
        assertThat(client.fetch(1)).as("since=1").extracting(ChatMessage::text).containsExactly("two");
        assertThat(client.fetch(2)).as("since=2").isEmpty();
        assertThat(client.requests()).as("fetches counted").isEqualTo(3);
        assertThat(client.emptyResponses()).as("empty fetches counted").isEqualTo(1);
        assertThat(server.requests()).as("requests seen by the server").isEqualTo(5);
    }

    @Test
    @DisplayName("a held GET is answered by the next post, and a held GET nobody answers comes back empty")
    void longPolling() throws Exception {
        Future<List<ChatMessage>> held = threads.submit(() -> client.fetch(0, Duration.ofSeconds(10)));
        await(() -> board.held() == 1, "the request to be held");
        client.post("alice", "news");
        assertThat(held.get(5, TimeUnit.SECONDS)).as("the held answer").extracting(ChatMessage::text).containsExactly("news");
        assertThat(client.fetch(1, Duration.ofMillis(100))).as("a held GET with nothing new").isEmpty();
        await(() -> board.held() == 0, "the timed-out request to be forgotten");
    }

    @Test
    @DisplayName("bad numbers and bad bodies get a 400 that says what is wrong")
    void badInput() throws Exception {
        assertThatThrownBy(() -> new ChatClient(server.url()).fetch(-1)).as("since=-1")
                .isInstanceOf(IOException.class).hasMessageContaining("400").hasMessageContaining("since must be a whole number");
        HttpResponse<String> wait = raw(HttpRequest.newBuilder(URI.create(server.url() + "/messages?since=0&wait=soon")));
        assertThat(wait.statusCode()).as("status for wait=soon").isEqualTo(400);
        assertThat(wait.body()).as("body for wait=soon").contains("wait must be a whole number from 0 to 60000");
        HttpResponse<String> json = raw(HttpRequest.newBuilder(URI.create(server.url() + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")));
        assertThat(json.statusCode()).as("status for a body that is not JSON").isEqualTo(400);
        HttpResponse<String> noUser = raw(HttpRequest.newBuilder(URI.create(server.url() + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")));
        assertThat(noUser.body()).as("body for a message without user").contains("non-empty \"user\"");
        HttpResponse<String> delete = raw(HttpRequest.newBuilder(URI.create(server.url() + "/messages")).DELETE());
        assertThat(delete.statusCode()).as("status for DELETE").isEqualTo(405);
        assertThat(board.since(0)).as("messages stored after all that").isEmpty();
    }

    @Test
    @DisplayName("a board that hits an unfinished TODO reaches the client as that TODO")
    void todoBoard() {
        MessageBoard unfinished = new MessageBoard() {
            @Override
            public ChatMessage post(String user, String text, long sentAt) {
                throw new UnsupportedOperationException("TODO 1: store the message");
            }

            @Override
            public List<ChatMessage> since(long id) {
                throw new UnsupportedOperationException("TODO 1: return the messages");
            }

            @Override
            public CompletableFuture<List<ChatMessage>> waitFor(long id, Duration timeout) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException("TODO 3: hold it"));
            }
        };
        try (ChatServer other = ChatServer.start(unfinished, 0)) {
            ChatClient otherClient = new ChatClient(other.url());
            assertThatThrownBy(() -> otherClient.post("a", "b")).as("POST to an unfinished board")
                    .isInstanceOf(UnsupportedOperationException.class).hasMessage("TODO 1: store the message");
            assertThatThrownBy(() -> otherClient.fetch(0, Duration.ofSeconds(1))).as("held GET on an unfinished board")
                    .isInstanceOf(UnsupportedOperationException.class).hasMessage("TODO 3: hold it");
        }
    }

    @Test
    @DisplayName("WebSocket users hear the other users' messages, not their own")
    void webSocketUsers() throws Exception {
        BlockingQueue<String> aliceHeard = new LinkedBlockingQueue<>();
        BlockingQueue<String> bobHeard = new LinkedBlockingQueue<>();
        try (ChatUser alice = WebSocketUser.connect(server.url(), "alice", m -> aliceHeard.add(m.text()));
             ChatUser bob = WebSocketUser.connect(server.url(), "bob", m -> bobHeard.add(m.text()))) {
            alice.send("from alice");
            bob.send("from bob");
            assertThat(bobHeard.poll(5, TimeUnit.SECONDS)).as("what bob heard").isEqualTo("from alice");
            assertThat(aliceHeard.poll(5, TimeUnit.SECONDS)).as("what alice heard").isEqualTo("from bob");
            assertThat(aliceHeard).as("alice hears nothing else (not her own message)").isEmpty();
        }
    }

    @Test
    @DisplayName("a WebSocket that sends something that is not a chat message is closed with 1007")
    void badWebSocketMessage() throws Exception {
        BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        WebSocketClient socket = new WebSocketClient(URI.create(server.url().replace("http", "ws") + "/ws")) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
                closed.add(code);
            }

            @Override
            public void onError(Exception error) {
            }
        };
        assertThat(socket.connectBlocking(5, TimeUnit.SECONDS)).as("WebSocket opened").isTrue();
        socket.send("hello?");
        assertThat(closed.poll(5, TimeUnit.SECONDS)).as("close code after a message that is not JSON").isEqualTo(1007);
    }

    @Test
    @DisplayName("a WebSocket is told it is ready once registered, and then gets every message posted")
    void readyBeforeMessages() throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocketClient socket = new WebSocketClient(URI.create(server.url().replace("http", "ws") + "/ws")) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
                frames.add(message);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception error) {
            }
        };
        assertThat(socket.connectBlocking(5, TimeUnit.SECONDS)).as("WebSocket opened").isTrue();
        try {
            assertThat(frames.poll(5, TimeUnit.SECONDS)).as("the first frame").isEqualTo(ChatServer.READY);
            client.post("alice", "after ready");
            assertThat(frames.poll(5, TimeUnit.SECONDS)).as("the message posted after ready").contains("after ready");
        } finally {
            socket.closeBlocking();
        }
    }
}
