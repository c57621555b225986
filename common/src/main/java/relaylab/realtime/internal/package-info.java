/**
 * Internal helpers that the server ({@code relaylab.realtime}) and the client ({@code relaylab.realtime.client})
 * both need and that are no protocol, and the hooks the bench reads ({@code FanoutProbe}, {@code NodePackages}, shared
 * with the interop tests): public only because Java has no "visible to these packages". Not for lessons; may change
 * without notice.
 */
package relaylab.realtime.internal;
