package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logging: a lesson that calls {@link Logs#quietLibraries()} starts and stops servers without INFO from Undertow, XNIO,
 * JBoss or relaylab.realtime; the library itself never changes global logging levels behind anyone's back.
 */
class LogsTest {
    private static boolean noisy(LogRecord r) {
        String name = String.valueOf(r.getLoggerName());
        return r.getLevel().intValue() < Level.WARNING.intValue() && (name.startsWith("io.undertow") || name.startsWith("org.xnio")
                || name.startsWith("org.jboss") || name.startsWith("relaylab.realtime"));
    }

    @Test
    @DisplayName("after Logs.quietLibraries(), a server start and stop logs nothing at INFO (the lesson prints its own URL)")
    void startAndStopAreQuiet() {
        Logs.quietLibraries();
        try (LogCapture log = LogCapture.of("")) {
            RealtimeServer server = RealtimeServer.create(cfg -> { }).start(0);
            server.stop();
            RealtimeServer.create(cfg -> cfg.staticFiles("/")).start(0).close();
            assertThat(log.records().stream().filter(LogsTest::noisy).toList()).as("INFO records of a start/stop:" + log.describe())
                    .isEmpty();
        }
        for (String name : Logs.LIBRARIES) {
            assertThat(Logger.getLogger(name).getLevel()).as("level of the logger " + name + " after quietLibraries()")
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

    @Test
    @DisplayName("loading, starting and stopping RealtimeServer leaves the java.util.logging levels as they were")
    void serverLeavesLevelsAlone() throws Exception {
        Map<String, Level> before = new HashMap<>();
        for (String name : Logs.LIBRARIES) {
            before.put(name, Logger.getLogger(name).getLevel());
            Logger.getLogger(name).setLevel(null);
        }
        // a fresh class loader, so that RealtimeServer is loaded (and its static initialiser runs) right here
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        try (URLClassLoader fresh = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Class<?> server = Class.forName(RealtimeServer.class.getName(), true, fresh);
            Object started = server.getMethod("start", int.class).invoke(server.getMethod("create").invoke(null), 0);
            server.getMethod("stop").invoke(started);
            for (String name : Logs.LIBRARIES) {
                assertThat(Logger.getLogger(name).getLevel()).as("level of the logger " + name + " (was unset) after a server"
                        + " was loaded, started and stopped").isNull();
            }
        } finally {
            before.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
        }
    }
}
