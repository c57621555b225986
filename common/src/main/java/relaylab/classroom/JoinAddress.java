package relaylab.classroom;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Where a learner's grader sends results: the dashboard's base URL and the room's join code, written as one
 * address {@code http://HOST:4000/CODE}. The dashboard makes a code with {@link #newCode()}; the grader reads
 * the address the instructor shows with {@link #parse(String)}.
 *
 * @param server the dashboard's base URL, e.g. "http://192.168.1.20:4000"
 * @param code   the join code, upper case, e.g. "K7QH2M"
 */
public record JoinAddress(String server, String code) {
    /** Letters and digits that cannot be mistaken for one another when read aloud or off a projector (no 0/O, 1/I/L). */
    public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    /** The length of a code made by {@link #newCode()}. */
    public static final int LENGTH = 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random join code, e.g. "K7QH2M". */
    public static String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * The code as the dashboard compares it: trimmed and upper case.
     *
     * @throws IllegalArgumentException when it has other characters than {@link #ALPHABET} or a length other
     *                                  than 4 to 12
     */
    public static String checkCode(String code) {
        String c = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        if (c.length() < 4 || c.length() > 12 || !c.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0)) {
            throw new IllegalArgumentException("a join code has 4 to 12 of the characters " + ALPHABET
                    + " (no 0, O, 1, I or L), got \"" + code + "\"");
        }
        return c;
    }

    /**
     * Reads an address such as {@code http://192.168.1.20:4000/K7QH2M}.
     *
     * @throws IllegalArgumentException with what was expected, when it is not an http(s) URL with a join code as its path
     */
    public static JoinAddress parse(String address) {
        String example = "the address the instructor's dashboard shows, e.g. http://192.168.1.20:4000/K7QH2M";
        if (address == null || !address.strip().matches("(?i)https?://.+")) {
            throw new IllegalArgumentException("\"" + address + "\" is not an http:// address; use " + example);
        }
        URI uri;
        try {
            uri = new URI(address.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + address + "\" is not an address: " + e.getReason() + "; use " + example);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("\"" + address + "\" is not an http:// address; use " + example);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        if (path.isEmpty() || path.contains("/")) {
            throw new IllegalArgumentException("\"" + address + "\" has no join code after the port; use " + example);
        }
        String code;
        try {
            code = checkCode(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + address + "\": " + e.getMessage());
        }
        String server = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
        return new JoinAddress(server, code);
    }

    /** The address as the instructor shows it and the grader remembers it: {@code http://HOST:PORT/CODE}. */
    @Override
    public String toString() {
        return server + "/" + code;
    }
}
