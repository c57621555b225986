package relaylab.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.time.ExecutionTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import relaylab.schedule.CronExpressions.InvalidCronException;

class CronExpressionsTest {
    private static final ZonedDateTime AT_10_02_30 = ZonedDateTime.of(2026, 12, 1, 10, 2, 30, 0, ZoneOffset.UTC);

    private static ZonedDateTime next(String expression, ZonedDateTime after) {
        return ExecutionTime.forCron(CronExpressions.parse(expression)).nextExecution(after).orElseThrow();
    }

    @Test
    @DisplayName("a standard 5-field expression runs at the next whole 5 minutes")
    void fiveFields() {
        assertThat(next("*/5 * * * *", AT_10_02_30)).isEqualTo(AT_10_02_30.withMinute(5).withSecond(0));
        assertThat(next("0 3 * * 1-5", AT_10_02_30)).isEqualTo(ZonedDateTime.of(2026, 12, 2, 3, 0, 0, 0, ZoneOffset.UTC));
    }

    @Test
    @DisplayName("6 fields put seconds first, for demos that should not wait minutes")
    void sixFields() {
        assertThat(next("*/10 * * * * *", AT_10_02_30.plusSeconds(3))).isEqualTo(AT_10_02_30.withSecond(40));
        assertThat(next("  */10 *  * * * * ", AT_10_02_30)).as("extra spaces are fine").isEqualTo(AT_10_02_30.withSecond(40));
    }

    @Test
    @DisplayName("a bad field is named in one sentence")
    void badFieldNamed() {
        assertThatThrownBy(() -> CronExpressions.parse("*/5 * * * 9")).isInstanceOf(InvalidCronException.class)
                .hasMessageStartingWith("the day-of-week field \"9\" of \"*/5 * * * 9\" is not valid (")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> CronExpressions.parse("61 * * * *")).hasMessageStartingWith("the minute field \"61\"");
        assertThatThrownBy(() -> CronExpressions.parse("* 25 * * *")).hasMessageStartingWith("the hour field \"25\"");
        assertThatThrownBy(() -> CronExpressions.parse("* * * 13 *")).hasMessageStartingWith("the month field \"13\"");
        assertThatThrownBy(() -> CronExpressions.parse("*/x * * * * *")).hasMessageStartingWith("the second field \"*/x\"");
        assertThatThrownBy(() -> CronExpressions.parse("* * 0 * *")).hasMessageStartingWith("the day-of-month field \"0\"");
    }

    @Test
    @DisplayName("a wrong number of fields says how many are needed, with examples")
    void wrongFieldCount() {
        assertThatThrownBy(() -> CronExpressions.parse("* * * *")).isInstanceOf(InvalidCronException.class)
                .hasMessageContaining("has 4 fields, but it needs 5").hasMessageContaining("or 6 with seconds first");
        assertThatThrownBy(() -> CronExpressions.parse("")).hasMessageContaining("has 0 fields");
        assertThatThrownBy(() -> CronExpressions.parse("0 0 * * * ? 2030")).hasMessageContaining("has 7 fields");
    }
}
