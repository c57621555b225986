package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * On JDK 24 and later, Undertow's dependencies (JBoss Threads) call a terminally deprecated
 * sun.misc.Unsafe method, and the JVM prints four WARNING lines at the start of every run, which a
 * learner takes for a failure. The system property {@code sun.misc.unsafe.memory.access=allow} (the
 * same as the launcher option --sun-misc-unsafe-memory-access=allow, which JDK 17 does not know) keeps
 * them quiet, and JDK 17 ignores it. Every JBang script that runs Undertow must pass it.
 */
class UnsafeWarningCheckTest {
    static final String OPTION = "-Dsun.misc.unsafe.memory.access=allow";
    private static final Path ROOT = WorkbookCheckTest.WORKBOOK.root();
    private static final Pattern RUNS_UNDERTOW = Pattern.compile("^//DEPS io\\.undertow:", Pattern.MULTILINE);
    // a //SOURCES line's plain file names (no folder, no wildcard): files beside the script, whose //DEPS JBang reads too
    private static final Pattern SOURCES_BESIDE = Pattern.compile("^//SOURCES ((?:[\\w.]+\\.java ?)+)$", Pattern.MULTILINE);
    private static final Pattern JAVA_OPTIONS = Pattern.compile("^//JAVA_OPTIONS .*" + Pattern.quote(OPTION) + "(\\s|$)",
            Pattern.MULTILINE);

    @Test
    @DisplayName("every JBang script that runs Undertow passes " + OPTION + " in its //JAVA_OPTIONS")
    void scriptsAllowUnsafeMemoryAccess() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String folder : List.of("lessons", "solutions", "common/scripts", "common/src/main/java", "benchmark/src/main/java")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (text.startsWith("///usr/bin/env jbang") && runsUndertow(file, text)) {
                        checked.add(ROOT.relativize(file).toString());
                        if (!JAVA_OPTIONS.matcher(text).find()) {
                            missing.add(ROOT.relativize(file).toString());
                        }
                    }
                }
            }
        }
        assertThat(checked).as("JBang scripts that run Undertow (the lessons from 02 on and the grader)").isNotEmpty()
                .contains("common/scripts/Grade.java")
                .as("... including lessons whose //DEPS are in their runners")
                .contains("lessons/08-rooms/Rooms.java", "lessons/11-redis/RedisChat.java");
        assertThat(missing).as("scripts without //JAVA_OPTIONS ... " + OPTION + " (JDK 24+ would print sun.misc.Unsafe warnings)")
                .isEmpty();
    }

    /** Undertow in the script's own //DEPS or in those of a file beside it that its //SOURCES names (a lesson's runner). */
    private static boolean runsUndertow(Path script, String text) throws IOException {
        if (RUNS_UNDERTOW.matcher(text).find()) {
            return true;
        }
        var sources = SOURCES_BESIDE.matcher(text);
        while (sources.find()) {
            for (String name : sources.group(1).trim().split(" ")) {
                Path beside = script.resolveSibling(name);
                if (Files.isRegularFile(beside) && RUNS_UNDERTOW.matcher(Files.readString(beside, StandardCharsets.UTF_8)).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
