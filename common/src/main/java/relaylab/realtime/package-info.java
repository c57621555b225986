/**
 * The realtime core of Relay Lab: a Socket.IO v5 server (Engine.IO v4 over WebSocket and HTTP
 * long-polling, on Undertow) and a Java client (Java-WebSocket), compatible with the reference
 * JavaScript client and server.
 *
 * <p>Start with {@link relaylab.realtime.RealtimeServer#create}: configure it, register handlers
 * (lambdas via {@code on("connection", socket -> ...)} or annotated methods via {@code register(obj)}),
 * then {@code start(0)} and always {@code stop()}. Connect from Java with
 * {@link relaylab.realtime.client.RealtimeClient#connect}. Lesson tests use {@code relaylab.realtime.testing}.
 *
 * <p>Layout: this package is the API plus the engine, one package-private class per protocol layer
 * ({@code EngineHandler}, {@code PollingTransport}, {@code WebSocketTransport}, {@code EngineSession} with its
 * {@code Heartbeat}, {@code SocketIoConnection} with {@code NamespaceJoin}, {@code WebSocketWriter}), and helpers
 * behind the public classes ({@code ServerRoutes} for {@code RealtimeServer}, {@code SocketHandlers} and
 * {@code SocketAcks} for {@code RealtimeSocket}); the wire format is {@code relaylab.realtime.protocol};
 * common/README.md has the map, one line per class.
 *
 * <p>Threads: network I/O runs on Undertow's I/O threads; every handler runs on a worker thread, one at
 * a time per connection and in arrival order. Sends may happen from any thread. Heartbeats and timeouts
 * of all connections share one timer thread per server.
 */
package relaylab.realtime;
