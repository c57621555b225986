package relaylab.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.List;

/**
 * Cron expressions as an operator writes them, parsed by cron-utils: the standard 5 fields
 * ({@code minute hour day-of-month month day-of-week}, UNIX crontab, e.g. {@code *}{@code /5 * * * *})
 * or 6 fields with seconds first for demos that should not wait minutes ({@code *}{@code /10 * * * * *}).
 * A bad expression is refused with one sentence that names the bad field.
 */
public final class CronExpressions {
    private static final List<String> UNIX_FIELDS = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final List<String> SECONDS_FIELDS = List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private CronExpressions() {
    }

    /**
     * Parses {@code expression} (5 fields, or 6 with seconds first) and validates it; called once when
     * a lesson starts with {@code --cron}. Throws {@link InvalidCronException} whose message is one
     * sentence naming the bad field, e.g. {@code the day-of-week field "8" of "*}{@code /5 * * * 8" is
     * not valid: ...}.
     */
    public static Cron parse(String expression) {
        String trimmed = expression == null ? "" : expression.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new InvalidCronException("the cron expression \"" + trimmed + "\" has " + fields.length
                    + " fields, but it needs 5 (minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\")"
                    + " or 6 with seconds first (e.g. \"*/10 * * * * *\")");
        }
        CronParser parser = fields.length == 5 ? UNIX : WITH_SECONDS;
        List<String> names = fields.length == 5 ? UNIX_FIELDS : SECONDS_FIELDS;
        try {
            return parser.parse(String.join(" ", fields)).validate();
        } catch (IllegalArgumentException e) {
            int bad = badField(parser, fields);
            String reason = firstLine(e.getMessage());
            String where = bad < 0 ? "the fields of \"" + trimmed + "\" do not go together"
                    : "the " + names.get(bad) + " field \"" + fields[bad] + "\" of \"" + trimmed + "\" is not valid";
            throw new InvalidCronException(where + " (" + reason + "); the fields are " + String.join(" ", names), e);
        }
    }

    /** The first field that, replaced by "*", makes the expression valid; -1 when no single field does. */
    private static int badField(CronParser parser, String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            String[] tried = fields.clone();
            tried[i] = "*";
            try {
                parser.parse(String.join(" ", tried)).validate();
                return i;
            } catch (IllegalArgumentException stillBad) {
                // this field was not the (only) culprit: try the next one
                continue;
            }
        }
        return -1;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "cron-utils gave no reason";
        }
        String line = message.strip().lines().findFirst().orElse(message).strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    /** A cron expression that cannot be parsed; the message is one sentence naming the bad field. */
    public static final class InvalidCronException extends IllegalArgumentException {
        InvalidCronException(String message) {
            super(message);
        }

        InvalidCronException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
