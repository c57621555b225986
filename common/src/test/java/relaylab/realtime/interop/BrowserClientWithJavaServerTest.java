package relaylab.realtime.interop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/** relaylab's browser client, served by relaylab's Java server at /socket.io/socket.io.js, in Chromium. */
@DisplayName("relaylab socket.io.js in Chromium against the Java RealtimeServer")
class BrowserClientWithJavaServerTest extends BrowserClientScenarios {

    private JavaInteropServer server;

    @BeforeEach
    void startJavaServer() {
        server = new JavaInteropServer().start();
    }

    @AfterEach
    void stopJavaServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String baseUrl() {
        return server.url();
    }

    @Override
    void stopServer() {
        server.stop();
    }

    @Override
    void startServerAgain() {
        server.startAgain();
    }
}
