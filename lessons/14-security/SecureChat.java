///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//DEPS com.bucket4j:bucket4j_jdk17-core:8.14.0
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/client/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../../common/src/main/java/relaylab/realtime/protocol/*.java
//SOURCES Certificates.java
//SOURCES Tokens.java
//SOURCES Unguarded.java
//SOURCES SecurityDemo.java
//SOURCES WireTap.java
//FILES index.html
//FILES chat.js
//FILES chat.css
//FILES evil.html
//FILES relaylab/realtime/socket.io.js=../../common/src/main/resources/relaylab/realtime/socket.io.js

import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import relaylab.realtime.Middleware;
import relaylab.realtime.RealtimeConfig;
import relaylab.realtime.RealtimeSocket;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 14: the chat of lesson 09, cut to its core (log in, send, receive), made safe to put online. Each
 * defence below stops one attack that SecurityDemo runs; while a TODO is unfinished, Unguarded runs the chat
 * the way an app without that defence behaves, so the attack gets in.
 */
@Lesson(number = 14, title = "Security",
        summary = "wss with a certificate made on first run, signed expiring tokens, an Origin allowlist against"
                + " cross-site WebSocket hijacking, rate and size limits, and a page where nothing a user sends runs.")
public class SecureChat extends Unguarded {
    static final int BURST = 10;
    static final int PER_SECOND = 5;
    static final int MAX_TEXT = 500;
    static final int MAX_PAYLOAD = 16 * 1024;
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** @param certificate where the chat keeps its keystore (made on first run), e.g. .relaylab/lesson14-chat.p12 */
    SecureChat(java.nio.file.Path certificate) {
        super(certificate);
    }

    /** Task 2: runs before a socket joins "/"; the token comes from auth.token or the "token" cookie. */
    @Override
    void authenticate(RealtimeSocket socket, Middleware.Next next) {
        // TODO 2: verify tokenOf(socket.handshake()); when Refused, next.fail(reason). Else put the user in
        // TODO 2: socket.data() under "user", disconnectAt(socket, time left, "token expired"), next.ok() (task 2)
        throw new UnsupportedOperationException("TODO 2: check the token");
    }

    @Task(number = 3, title = "Refuse sockets opened by pages of other origins",
            hint = "cfg.allowedOrigins(this::ownOrigins): the core answers 403 to a WebSocket or polling handshake whose"
                    + " Origin header is not exactly one of the chat's own origins. CORS does not cover WebSockets.")
    @Override
    void restrictOrigins(RealtimeConfig cfg) {
        // TODO 3: let only the chat's own origins (ownOrigins) open a session (task 3)
        throw new UnsupportedOperationException("TODO 3: allow only the chat's own origins");
    }

    @Task(number = 4, title = "Limit each socket to a burst of 10 and 5 messages a second",
            hint = "One Bucket4j bucket per socket, kept in socket.data() (computeIfAbsent): Bucket.builder().addLimit("
                    + "limit -> limit.capacity(BURST).refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();"
                    + " return bucket.tryConsume(1).")
    @Override
    boolean withinRate(RealtimeSocket socket) {
        // TODO 4: take one token from this socket's own bucket (BURST, then PER_SECOND a second) (task 4)
        throw new UnsupportedOperationException("TODO 4: count the messages in a token bucket");
    }

    @Task(number = 5, title = "Refuse over-size and malformed messages with a reason",
            hint = "limitPayload: cfg.maxPayload(MAX_PAYLOAD), so a bigger frame closes that connection before it is"
                    + " read. invalid: return a reason when there is not exactly one argument, when it is not a String,"
                    + " when it is blank, or longer than MAX_TEXT; null when the message is fine.")
    @Override
    void limitPayload(RealtimeConfig cfg) {
        // TODO 5: refuse frames bigger than MAX_PAYLOAD bytes (task 5)
        throw new UnsupportedOperationException("TODO 5: set maxPayload");
    }

    @Override
    String invalid(List<Object> args) {
        // TODO 5: the reason to refuse: not exactly one String, blank, or longer than MAX_TEXT; else null (task 5)
        throw new UnsupportedOperationException("TODO 5: check the message");
    }

    @Task(number = 6, title = "Let nothing a user sends run in the page",
            hint = "Here: cfg.pageHeader(\"Content-Security-Policy\", POLICY) and \"X-Content-Type-Options\": \"nosniff\"."
                    + " In chat.js, renderMessage builds the line with createElement and textContent, never innerHTML.")
    @Override
    void addPageHeaders(RealtimeConfig cfg) {
        // TODO 6: send POLICY as the Content-Security-Policy header, and X-Content-Type-Options: nosniff (task 6)
        throw new UnsupportedOperationException("TODO 6: add the Content-Security-Policy header");
    }

    public static void main(String[] args) {
        SecurityDemo.main(args);
    }
}
