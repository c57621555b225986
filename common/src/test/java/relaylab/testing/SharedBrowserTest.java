package relaylab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SharedBrowser for two users: separate browsers, started on first use, the same ones for every test. */
class SharedBrowserTest {
    @RegisterExtension
    static final SharedBrowser BROWSERS = new SharedBrowser(2);

    private static Browser firstSeen;

    @Test
    @DisplayName("two users get two different browsers, and asking again gives the same ones")
    void twoBrowsers() {
        Browser first = BROWSERS.browser(0);
        Browser second = BROWSERS.browser(1);
        assertThat(second).as("the second user's browser").isNotSameAs(first);
        assertThat(BROWSERS.browser()).as("browser() is the first user's").isSameAs(first);
        assertThat(BROWSERS.browser(0)).as("the first browser asked for again").isSameAs(first);
        if (firstSeen != null) {
            assertThat(first).as("the first browser in the other test").isSameAs(firstSeen);
        }
        firstSeen = first;
    }

    @Test
    @DisplayName("the browsers are shared by the tests of the class")
    void sharedByTheClass() {
        twoBrowsers();
    }

    @Test
    @DisplayName("a browser number outside 0..count-1, or a count below 1, is refused with the numbers")
    void badNumbers() {
        assertThatThrownBy(() -> BROWSERS.browser(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("browser 2").hasMessageContaining("0 to 1");
        assertThatThrownBy(() -> new SharedBrowser(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 0");
    }
}
