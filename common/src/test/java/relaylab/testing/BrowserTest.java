package relaylab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserTest {

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>echo</title></head>
            <body>
              <input id="message"><button id="send">Send</button>
              <ul id="log"></ul>
              <script>
                document.getElementById('send').addEventListener('click', () => {
                  const input = document.getElementById('message');
                  // answer later, like a network reply would
                  setTimeout(() => {
                    const li = document.createElement('li');
                    li.textContent = 'echo: ' + input.value;
                    document.getElementById('log').appendChild(li);
                    input.value = '';
                  }, 100);
                  console.log('sent ' + input.value);
                });
              </script>
            </body></html>
            """;

    private static HttpServer http;
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    @Test
    @DisplayName("A page served on a local port can be typed into, clicked and read")
    void typesClicksAndWaits() {
        BrowserPage page = browser.open(url());
        page.type("#message", "hello");
        assertThat(page.value("#message")).as("the input holds what was typed").isEqualTo("hello");
        page.click("#send");
        page.awaitText("#log", "echo: hello", Duration.ofSeconds(5));
        assertThat(page.text("#log")).as("the log shows the echo once").isEqualTo("echo: hello");
        assertThat(page.count("#log li")).as("one line in the log").isEqualTo(1);
        assertThat(page.console()).as("console.log of the page is readable")
                .anySatisfy(line -> assertThat(line).contains("sent hello"));
    }

    @Test
    @DisplayName("Waiting for text that never comes fails with what the page showed instead")
    void awaitTextFailsClearly() {
        BrowserPage page = browser.open(url());
        assertThatThrownBy(() -> page.awaitText("#log", "never", Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"never\"")
                .hasMessageContaining("#log");
        assertThatThrownBy(() -> page.click("#missing"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no element matching #missing");
    }

    @Test
    @DisplayName("A screenshot is saved as a PNG file")
    void screenshot(@TempDir Path dir) throws IOException {
        BrowserPage page = browser.open(url());
        Path png = page.screenshot(dir.resolve("shots/page.png"));
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).as("a PNG file starts with its signature").startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    @DisplayName("awaitScript waits for a JavaScript condition on the page")
    void awaitScript() {
        BrowserPage page = browser.open(url());
        page.script("setTimeout(() => { window.ready = true; }, 100);");
        page.awaitScript("window.ready === true", Duration.ofSeconds(5));
        assertThat(page.script("return 6 * 7;")).as("script returns the value").isEqualTo(42L);
    }
}
