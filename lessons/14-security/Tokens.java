import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import relaylab.workbook.Task;

/**
 * Task 2: signed, expiring tokens, {@code user.expiry.signature}: the user name, the expiry in epoch seconds,
 * and an HMAC-SHA256 of the first two parts under a secret only the server knows.
 */
final class Tokens {
    /** What a token proved: who, and until when. */
    record Verified(String user, Instant expires) {
    }

    /** A token that must not be let in; the message is the reason the page shows. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    private final SecretKeySpec key;

    /** Tokens signed with a fresh random secret: they stop working when the server restarts. */
    Tokens() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Task(number = 2, title = "Let in only holders of a signed token that has not expired",
            hint = "sign: payload = user + \".\" + expires.getEpochSecond(), token = payload + \".\" + signature(payload)."
                    + " verify: split into exactly 3 parts, compare signature(first two) with the third using"
                    + " MessageDigest.isEqual, then refuse when the expiry is not after now. In SecureChat.authenticate:"
                    + " verify, put the user in socket.data(), schedule socket.disconnect() at the expiry, next.ok();"
                    + " on Refused call next.fail(reason).")
    String sign(String user, Instant expires) {
        // TODO 2: return user + "." + expires.getEpochSecond() + "." + the signature of those first two parts (task 2)
        throw new UnsupportedOperationException("TODO 2: sign the token");
    }

    /** The user and expiry a token proves, or Refused with the reason: malformed, forged, or expired. */
    Verified verify(String token, Instant now) throws Refused {
        // TODO 2: refuse (throw Refused with the reason) a token that is not user.expiry.signature, whose signature
        // TODO 2: is not the one of its first two parts (MessageDigest.isEqual), or whose expiry is not after now (task 2)
        throw new UnsupportedOperationException("TODO 2: verify the token");
    }

    // ------------------------------------------------------------------ given

    /** HMAC-SHA256 of the text under the server's secret, base64url without padding. */
    String signature(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot compute HmacSHA256, which every JDK must offer", e);
        }
    }
}
