/**
 * The realtime core of Relay Lab: a Socket.IO v5 server (Engine.IO v4 over WebSocket and HTTP
 * long-polling, on Undertow) and a Java client (Java-WebSocket), compatible with the reference
 * JavaScript client and server.
 *
 * <p>Start with {@link relaylab.realtime.RealtimeServer#create}: configure it, register handlers
 * (lambdas via {@code on("connection", socket -> ...)} or annotated methods via {@code register(obj)}),
 * then {@code start(0)} and always {@code stop()}. Connect from Java with
 * {@link relaylab.realtime.RealtimeClient#connect}. Lesson tests use {@code relaylab.realtime.testing}.
 *
 * <p>Threads: network I/O runs on Undertow's I/O threads; every handler runs on a worker thread, one at
 * a time per connection and in arrival order. Sends may happen from any thread. Heartbeats and timeouts
 * of all connections share one timer thread per server.
 */
package relaylab.realtime;
