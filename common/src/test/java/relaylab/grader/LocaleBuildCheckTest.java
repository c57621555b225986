package relaylab.grader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lessons' sources are UTF-8 (arrows, check marks); javac 17 reads sources in the locale's charset, which is ASCII
 * when LANG is unset or LC_ALL=C, as on many servers and in containers. {@code ./jbang} replaces such a locale by
 * C.UTF-8 (Maven has {@code project.build.sourceEncoding}, the grader passes {@code -encoding UTF-8}). This builds
 * lesson 03's script, full of "→", from scratch (its own build folder, so JBang's cache cannot answer) in the C
 * locale. Without the line in ./jbang it fails with "unmappable character (0xE2) for encoding US-ASCII".
 */
class LocaleBuildCheckTest {
    private static final Path ROOT = WorkbookCheckTest.WORKBOOK.root();

    @Test
    @DisplayName("./jbang builds a lesson with non-ASCII sources when the locale is C (LANG unset)")
    void buildsInTheCLocale(@TempDir Path buildDir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("relaylab.skipJbang"), "JBang builds skipped by -Drelaylab.skipJbang=true");
        Path log = buildDir.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("jbang").toString(), "build", "--build-dir",
                buildDir.resolve("out").toString(), "lessons/03-handshake/Handshake.java")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.equals("LANG") || name.equals("LANGUAGE") || name.startsWith("LC_"));
        env.put("LC_ALL", "C");
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("./jbang build finished within 5 minutes; it printed:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit status of ./jbang build in the C locale; it printed:%n%s", output).isZero();
        assertThat(output).doesNotContain("unmappable character");
    }
}
