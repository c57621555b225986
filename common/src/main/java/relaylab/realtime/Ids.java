package relaylab.realtime;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, unguessable ids for Engine.IO sessions and Socket.IO sockets (20 URL-safe characters). */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    static String next() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
