package relaylab.realtime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * API details of relaylab's socket.io.js (timeouts, emitWithAck, once/off/onAny, multiplexing, buffering,
 * auth functions, pings, reconnection rules), checked in Node against the official socket.io server by
 * src/test/node/client-checks.js: one test per check.
 */
@DisplayName("socket.io.js API checks (Node, against the official server)")
class BrowserClientChecksTest {

    @TestFactory
    Stream<DynamicTest> checks() {
        NodeScript.assumeNodeAndPackages();
        String client = NodeScript.folder().resolve("../../main/resources/relaylab/realtime/socket.io.js").normalize().toString();
        List<JsonNode> results;
        try (NodeScript script = NodeScript.start("client-checks.js", client)) {
            script.await("done", Duration.ofSeconds(60));
            results = script.seen("check");
        }
        assertThat(results).as("client-checks.js reported its checks").isNotEmpty();
        return results.stream().map(r -> DynamicTest.dynamicTest(r.path("name").asText(),
                () -> assertThat(r.path("ok").asBoolean()).as(r.path("name").asText() + ": " + r.path("detail").asText())
                        .isTrue()));
    }
}
