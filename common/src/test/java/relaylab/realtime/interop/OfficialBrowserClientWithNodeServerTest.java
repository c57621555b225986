package relaylab.realtime.interop;

import org.junit.jupiter.api.DisplayName;

/**
 * The same page and scenarios with socket.io's own browser bundle: shows that the page (and so every
 * scenario) is written for the official client, and that relaylab's client matches it.
 */
@DisplayName("socket.io's own browser client in Chromium against the official Node socket.io server (reference)")
class OfficialBrowserClientWithNodeServerTest extends BrowserClientWithNodeServerTest {

    @Override
    boolean officialClient() {
        return true;
    }
}
