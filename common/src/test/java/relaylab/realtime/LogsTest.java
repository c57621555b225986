package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting and stopping servers stays quiet: no INFO from Undertow, XNIO, JBoss or relaylab.realtime. */
class LogsTest {
    private static boolean noisy(LogRecord r) {
        String name = String.valueOf(r.getLoggerName());
        return r.getLevel().intValue() < Level.WARNING.intValue() && (name.startsWith("io.undertow") || name.startsWith("org.xnio")
                || name.startsWith("org.jboss") || name.startsWith("relaylab.realtime"));
    }

    @Test
    @DisplayName("a server start and stop logs nothing at INFO (the lesson prints its own URL)")
    void startAndStopAreQuiet() {
        try (LogCapture log = LogCapture.of("")) {
            RealtimeServer server = RealtimeServer.create(cfg -> { }).start(0);
            server.stop();
            RealtimeServer.create(cfg -> cfg.staticFiles("/")).start(0).close();
            assertThat(log.records().stream().filter(LogsTest::noisy).toList()).as("INFO records of a start/stop:" + log.describe())
                    .isEmpty();
        }
        for (String name : Logs.LIBRARIES) {
            assertThat(Logger.getLogger(name).getLevel()).as("level of the logger " + name + " once RealtimeServer is loaded")
                    .isEqualTo(Level.WARNING);
        }
    }

    @Test
    @DisplayName("quiet() sets unset loggers to WARNING and leaves an explicitly configured level alone")
    void explicitLevelsWin() {
        Logger explicit = Logger.getLogger("relaylab.logstest.explicit");
        explicit.setLevel(Level.FINE);
        Logger unset = Logger.getLogger("relaylab.logstest.unset");
        unset.setLevel(null);
        List<Logger> changed = Logs.quiet(List.of("relaylab.logstest.explicit", "relaylab.logstest.unset"));
        assertThat(changed).containsExactly(unset);
        assertThat(explicit.getLevel()).as("a level someone configured").isEqualTo(Level.FINE);
        assertThat(unset.getLevel()).isEqualTo(Level.WARNING);
        Logs.quietLibraries();
        Logs.quietLibraries();
        assertThat(Logger.getLogger("io.undertow").getLevel()).as("calling it again changes nothing").isEqualTo(Level.WARNING);
    }
}
