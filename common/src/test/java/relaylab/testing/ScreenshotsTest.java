package relaylab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScreenshotsTest {

    @Test
    @DisplayName("without RELAYLAB_SCREENSHOTS nothing is saved and the page is not touched")
    void offByDefault() {
        Assumptions.assumeFalse(Screenshots.enabled(), "RELAYLAB_SCREENSHOTS is set in this environment");
        assertThat(Screenshots.save(null, 5)).as("what save() wrote while saving is off").isEmpty();
    }

    @Test
    @DisplayName("a file name that is not a plain .png name is refused, whether saving is on or off")
    void refusesPaths() {
        assertThatThrownBy(() -> Screenshots.save(null, 5, "../elsewhere.png"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without folders");
        assertThatThrownBy(() -> Screenshots.save(null, 5, "picture.jpg"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".png");
    }
}
