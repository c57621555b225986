/**
 * Internal helpers that the server ({@code relaylab.realtime}) and the client ({@code relaylab.realtime.client})
 * both need and that are no protocol: public only because Java has no "visible to these two packages". Not for
 * lessons; may change without notice.
 */
package relaylab.realtime.internal;
