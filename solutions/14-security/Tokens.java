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
        String payload = user + "." + expires.getEpochSecond();
        return payload + "." + signature(payload);
    }

    /** The user and expiry a token proves, or Refused with the reason: malformed, forged, or expired. */
    Verified verify(String token, Instant now) throws Refused {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("malformed token: expected user.expiry.signature");
        }
        String payload = parts[0] + "." + parts[1];
        byte[] expected = signature(payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("invalid token signature");
        }
        Instant expires;
        try {
            expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            throw new Refused("malformed token: the expiry is not a number");
        }
        if (!expires.isAfter(now)) {
            throw new Refused("token expired at " + expires);
        }
        return new Verified(parts[0], expires);
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
