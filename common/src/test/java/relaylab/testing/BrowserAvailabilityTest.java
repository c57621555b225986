package relaylab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BrowserAvailabilityTest {

    @AfterEach
    void restore() {
        System.clearProperty("relaylab.chromium");
    }

    @Test
    @DisplayName("A missing browser is reported with the path and how to install it")
    void missingBrowserHasAReason() {
        System.setProperty("relaylab.chromium", "/nonexistent/chromium");
        assertThat(Browser.available()).as("no browser at a path that does not exist").isFalse();
        assertThat(Browser.unavailableReason())
                .as("the skip reason names the path and the install command")
                .contains("/nonexistent/chromium")
                .startsWith(Browser.NO_BROWSER).contains("apt-get install -y chromium chromium-driver");
        assertThatThrownBy(Browser::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/chromium");
    }

    @Test
    @DisplayName("The reason is empty exactly when the browser is available")
    void reasonMatchesAvailability() {
        assertThat(Browser.unavailableReason().isEmpty())
                .as("available() and unavailableReason() agree")
                .isEqualTo(Browser.available());
    }
}
