package relaylab.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrowserPageMessagesTest {
    @Test
    @DisplayName("a script error at the page's address is reported at index.html's line and column")
    void scriptErrorsPointAtIndexHtml() {
        assertThat(BrowserPage.inPageFile("http://127.0.0.1:41234/ 61:13 Uncaught Error: TODO 5: send the message"))
                .isEqualTo("index.html:61:13 Uncaught Error: TODO 5: send the message");
        assertThat(BrowserPage.inPageFile("http://localhost:3000/index.html 7:2 Uncaught ReferenceError: x is not defined"))
                .isEqualTo("index.html:7:2 Uncaught ReferenceError: x is not defined");
        assertThat(BrowserPage.inPageFile("http://127.0.0.1:41234/socket.io/socket.io.js 3:1 boom"))
                .as("a line of another script keeps its address").startsWith("http://127.0.0.1:41234/socket.io/socket.io.js");
    }
}
