/**
 * Helpers for lesson tests of realtime code: {@link relaylab.realtime.testing.RealtimeFixture} starts a
 * server on a free port with your handlers and opens {@link relaylab.realtime.testing.TestClient}s that
 * record what they receive; await events with a deadline instead of sleeping, and use
 * {@link relaylab.realtime.testing.RealtimeFixture#sync()} before asserting that something did NOT arrive.
 * {@link relaylab.realtime.testing.RealtimeFixture#socketOf} finds a client's socket on the server, and
 * {@link relaylab.realtime.testing.EventArgs} reads the JSON object lessons send as first argument. Waits without
 * a timeout argument use {@link relaylab.realtime.testing.RealtimeFixture#WAIT} (5 s).
 * No JUnit dependency: failures are plain AssertionErrors with a message listing what was received.
 */
package relaylab.realtime.testing;
