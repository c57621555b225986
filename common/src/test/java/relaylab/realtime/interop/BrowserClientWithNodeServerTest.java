package relaylab.realtime.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/**
 * relaylab's browser client against the official socket.io 4 server: the reference that
 * BrowserClientWithJavaServerTest must match.
 */
@DisplayName("relaylab socket.io.js in Chromium against the official Node socket.io server")
class BrowserClientWithNodeServerTest extends BrowserClientScenarios {

    private NodeScript server;
    private int port;

    @BeforeEach
    void startNodeServer() {
        NodeScript.assumeNodeAndPackages();
        String page = NodeScript.folder().resolve("../resources/relaylab/realtime/interop/page").normalize().toString();
        String ours = NodeScript.folder().resolve("../../main/resources/relaylab/realtime/socket.io.js").normalize().toString();
        server = officialClient()
                ? NodeScript.start("server.js", "--static", page)
                : NodeScript.start("server.js", "--client", ours, "--static", page);
        JsonNode listening = server.await("listening", Duration.ofSeconds(10));
        port = listening.path("port").asInt();
    }

    /** True to serve socket.io's own browser bundle instead of relaylab's client. */
    boolean officialClient() {
        return false;
    }

    @AfterEach
    void stopNodeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    void stopServer() {
        server.send(java.util.Map.of("cmd", "stop"));
        server.await("stopped", Duration.ofSeconds(10));
    }

    @Override
    void startServerAgain() {
        server.send(java.util.Map.of("cmd", "start", "port", port));
        server.await("listening", Duration.ofSeconds(10), "port", String.valueOf(port));
    }
}
