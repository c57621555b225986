package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handlers that throw: one log line for an unfinished TODO, a stack trace otherwise, and the onHandlerError hook. */
class HandlerErrorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** What a HandlerErrorListener was told. */
    private record Seen(String socketId, String event, Throwable error, boolean ackRequested) {
    }

    private static HandlerErrorListener into(List<Seen> seen) {
        return (socket, event, error, ack) -> seen.add(new Seen(socket.id(), event, error, ack.requested()));
    }

    @Test
    @DisplayName("a handler's unfinished TODO is logged as one line without stack trace; the hook gets socket, event, error and ack")
    void todoInEventHandler() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (LogCapture log = LogCapture.of("relaylab.realtime");
             RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.onHandlerError(into(seen)), server -> server.on("connection",
                     socket -> socket.on("chat", (args, ack) -> {
                         throw new UnsupportedOperationException("TODO 3: send the message to everyone");
                     })))) {
            TestClient client = fx.client();
            client.emit("chat", "hi");
            client.emit("chat", "again");
            fx.sync();
            List<LogRecord> lines = log.containing("TODO 3");
            assertThat(lines).as("log records about TODO 3 (the same TODO is logged once per server):" + log.describe()).hasSize(1);
            assertThat(lines.get(0).getMessage()).startsWith("handler for 'chat' is not written yet: TODO 3: send the message to everyone");
            assertThat(lines.get(0).getThrown()).as("no stack trace for an unfinished TODO").isNull();
            assertThat(lines.get(0).getLevel()).isEqualTo(Level.WARNING);
            assertThat(seen).as("the hook hears about every call").hasSize(2);
            assertThat(seen.get(0).socketId()).isEqualTo(fx.server().sockets().iterator().next().id());
            assertThat(seen.get(0).event()).isEqualTo("chat");
            assertThat(seen.get(0).error()).hasMessage("TODO 3: send the message to everyone");
            assertThat(seen.get(0).ackRequested()).as("the client did not ask for an ack").isFalse();
        }
    }

    @Test
    @DisplayName("any other exception is logged with its stack trace and reported to the hook; the connection goes on")
    void otherErrorsKeepTheStackTrace() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (LogCapture log = LogCapture.of("relaylab.realtime");
             RealtimeFixture fx = RealtimeFixture.start(cfg -> { }, server -> {
                 server.onHandlerError(into(seen));
                 server.on("connection", socket -> {
                     socket.on("boom", (args, ack) -> {
                         throw new IllegalStateException("kaboom");
                     });
                     socket.on("echo", (args, ack) -> ack.send(args.toArray()));
                 });
             })) {
            TestClient client = fx.client();
            client.emit("boom");
            assertThat(client.ack("echo", "still here")).as("the connection survives a failing handler").containsExactly("still here");
            List<LogRecord> lines = log.containing("kaboom");
            assertThat(lines).as("log records about kaboom:" + log.describe()).hasSize(1);
            assertThat(lines.get(0).getMessage()).startsWith("handler for 'boom' threw: java.lang.IllegalStateException: kaboom");
            assertThat(lines.get(0).getThrown()).as("the stack trace of an unexpected error").isInstanceOf(IllegalStateException.class);
            assertThat(seen).extracting(Seen::event).containsExactly("boom");
        }
    }

    @Test
    @DisplayName("a TodoRecorder keeps the first TODO of connection, event and disconnect handlers and answers a waiting ack")
    void todoRecorder() throws Exception {
        TodoRecorder todos = new TodoRecorder(message -> "refused: " + message);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.onHandlerError(todos).onHandlerError(into(seen)),
                server -> server.on("connection", socket -> {
                    socket.on("say", (args, ack) -> {
                        throw new UnsupportedOperationException("TODO 2: say it");
                    });
                    socket.onDisconnect(reason -> {
                        throw new UnsupportedOperationException("TODO 5: clean up");
                    });
                    if ("late".equals(socket.handshake().auth().get("name"))) {
                        throw new UnsupportedOperationException("TODO 1: welcome");
                    }
                }))) {
            TestClient first = fx.client();
            assertThat(todos.get()).as("no TODO reached yet").isNull();
            todos.throwIfAny();
            assertThat(first.ack("say", "hi")).as("the recorder answers the waiting ack").containsExactly("refused: TODO 2: say it");
            assertThat(todos.get()).hasMessage("TODO 2: say it");
            assertThatThrownBy(todos::throwIfAny).isSameAs(todos.get());
            assertThat(todos.await()).isSameAs(todos.get());

            fx.client(Map.of("name", "late"));
            assertThat(seen).as("the connection handler's TODO, reported before the client is connected")
                    .extracting(Seen::event).containsExactly("say", "connection");
            first.client().disconnect();
            Await.until("the disconnect listener's TODO reported", () -> seen.size() == 3);
            assertThat(seen.get(2).event()).isEqualTo("disconnect");
            assertThat(seen.get(2).error()).hasMessage("TODO 5: clean up");
            assertThat(todos.get()).as("the first TODO stays").hasMessage("TODO 2: say it");
        }
    }

    /** Annotated handlers report the same way. */
    static final class Annotated {
        @OnEvent("chat")
        void chat(RealtimeSocket socket, String text) {
            throw new UnsupportedOperationException("TODO 4: answer " + text);
        }
    }

    @Test
    @DisplayName("an @OnEvent method's TODO is one log line naming the method; a hook that throws is logged and does no harm")
    void annotatedHandlerAndFailingHook() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (LogCapture log = LogCapture.of("relaylab.realtime");
             RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg
                     .onHandlerError((socket, event, error, ack) -> {
                         throw new IllegalStateException("broken hook");
                     })
                     .onHandlerError(into(seen)),
                     server -> server.register(new Annotated()))) {
            TestClient client = fx.client();
            client.emit("chat", "ada");
            client.emit("chat", "bob");
            fx.sync();
            assertThat(log.containing("TODO 4")).as("one line per failed call:" + log.describe()).hasSize(2)
                    .allSatisfy(r -> {
                        assertThat(r.getMessage()).startsWith("handler Annotated.chat for 'chat' is not written yet: TODO 4: answer");
                        assertThat(r.getThrown()).isNull();
                    });
            assertThat(log.containing("broken hook")).as("the failing hook is logged").hasSize(2);
            assertThat(seen).as("later listeners still run").extracting(Seen::event).containsExactly("chat", "chat");
        }
    }

    @Test
    @DisplayName("isTodo recognises only an UnsupportedOperationException whose message starts with \"TODO \"")
    void isTodo() {
        assertThat(TodoRecorder.isTodo(new UnsupportedOperationException("TODO 1: x"))).isTrue();
        assertThat(TodoRecorder.isTodo(new UnsupportedOperationException("not supported"))).isFalse();
        assertThat(TodoRecorder.isTodo(new UnsupportedOperationException())).isFalse();
        assertThat(TodoRecorder.isTodo(new IllegalStateException("TODO 1: x"))).isFalse();
        assertThat(TodoRecorder.isTodo(null)).isFalse();
    }

    @Test
    @DisplayName("TodoRecorder.await blocks until a handler runs into a TODO")
    void awaitBlocks() throws Exception {
        TodoRecorder todos = new TodoRecorder();
        CompletableFuture<UnsupportedOperationException> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return todos.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        try (RealtimeFixture fx = RealtimeFixture.start(cfg -> cfg.onHandlerError(todos), server -> server.on("connection",
                socket -> socket.on("go", args -> {
                    throw new UnsupportedOperationException("TODO 6: go");
                })))) {
            assertThat(waiting).as("nothing failed yet").isNotDone();
            fx.client().emit("go");
            assertThat(waiting.get(5, TimeUnit.SECONDS)).hasMessage("TODO 6: go");
        }
    }
}
