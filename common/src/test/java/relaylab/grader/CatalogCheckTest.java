package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalog's promises: an alias for every lesson and solution, every alias pointing at a file
 * that exists and builds with JBang, and //DEPS lines agreeing with the versions in pom.xml.
 */
class CatalogCheckTest {
    private static final Path ROOT = WorkbookCheckTest.WORKBOOK.root();
    private static final Pattern PROPERTY = Pattern.compile("<([\\w.-]+)>([^<]+)</\\1>");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*(?:<!--.*?-->\\s*)?<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>",
            Pattern.DOTALL);
    private static final Pattern DEPS = Pattern.compile("^//DEPS\\s+(\\S+)", Pattern.MULTILINE);

    static Map<String, String> aliases() throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(ROOT.resolve("jbang-catalog.json").toFile());
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = catalog.path("aliases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> alias = it.next();
            aliases.put(alias.getKey(), alias.getValue().path("script-ref").asText());
        }
        return aliases;
    }

    @Test
    @DisplayName("every lesson has a lessonNN alias and a solutionNN alias pointing into its folders")
    void everyLessonHasAliases() throws IOException {
        Map<String, String> aliases = aliases();
        for (LessonFolder lesson : WorkbookCheckTest.WORKBOOK.lessons()) {
            String number = String.format("%02d", lesson.number());
            assertThat(aliases).as("jbang-catalog.json aliases").containsKey("lesson" + number).containsKey("solution" + number);
            assertThat(ROOT.resolve(aliases.get("lesson" + number)).normalize())
                    .as("alias lesson%s points into %s", number, lesson.name()).startsWith(lesson.exercise());
            assertThat(ROOT.resolve(aliases.get("solution" + number)).normalize())
                    .as("alias solution%s points into solutions/%s", number, lesson.name()).startsWith(lesson.solution());
        }
        assertThat(aliases).as("the workbook tools in jbang-catalog.json").containsKey("grade");
    }

    @Test
    @DisplayName("every alias points at an existing file and has a description")
    void aliasesPointAtFiles() throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(ROOT.resolve("jbang-catalog.json").toFile());
        aliases().forEach((name, ref) -> {
            assertThat(ROOT.resolve(ref)).as("file of alias " + name).isRegularFile();
            assertThat(catalog.path("aliases").path(name).path("description").asText())
                    .as("description of alias " + name).isNotBlank();
        });
    }

    @Test
    @DisplayName("//DEPS lines use exactly the versions of pom.xml, and the grader has them all")
    void depsMatchPom() throws IOException {
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher p = PROPERTY.matcher(rootPom.substring(rootPom.indexOf("<properties>"), rootPom.indexOf("</properties>")));
        while (p.find()) {
            properties.put(p.group(1), p.group(2));
        }
        Map<String, String> pinned = new LinkedHashMap<>();
        Matcher d = DEPENDENCY.matcher(Files.readString(ROOT.resolve("common/pom.xml")));
        while (d.find()) {
            String version = d.group(3).startsWith("${") ? properties.get(d.group(3).substring(2, d.group(3).length() - 1)) : d.group(3);
            pinned.put(d.group(1) + ":" + d.group(2), version);
        }
        assertThat(pinned).as("dependencies read from common/pom.xml").isNotEmpty().doesNotContainValue(null);

        List<String> problems = new ArrayList<>();
        for (Path file : scripts()) {
            Matcher deps = DEPS.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (deps.find()) {
                String[] gav = deps.group(1).split(":");
                String ga = gav[0] + ":" + gav[1];
                if (!pinned.containsKey(ga)) {
                    problems.add(ROOT.relativize(file) + ": //DEPS " + deps.group(1) + " is not a dependency of common/pom.xml");
                } else if (gav.length < 3 || !pinned.get(ga).equals(gav[2])) {
                    problems.add(ROOT.relativize(file) + ": //DEPS " + deps.group(1) + " but pom.xml pins " + ga + ":" + pinned.get(ga));
                }
            }
        }
        String grade = Files.readString(ROOT.resolve("common/scripts/Grade.java"));
        pinned.forEach((ga, version) -> {
            if (!grade.contains("//DEPS " + ga + ":" + version)) {
                problems.add("common/scripts/Grade.java compiles all of common/ but lacks //DEPS " + ga + ":" + version);
            }
        });
        assertThat(problems).as("//DEPS problems").isEmpty();
    }

    private static List<Path> scripts() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("lessons", "solutions", "common/scripts", "common/src/main/java", "benchmark/src/main/java")) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        return files;
    }

    /**
     * Builds every aliased script with the project's own ./jbang launcher, exactly as a learner's
     * first run would, so a missing //DEPS or //SOURCES line fails the build. Skipped only with
     * -Drelaylab.skipJbang=true (for quick local runs; CI never sets it).
     */
    @TestFactory
    @DisplayName("every aliased script builds with JBang")
    Stream<DynamicTest> aliasesBuild() throws IOException {
        if (Boolean.getBoolean("relaylab.skipJbang")) {
            return Stream.of(dynamicTest("skipped: -Drelaylab.skipJbang=true", () -> {
                org.junit.jupiter.api.Assumptions.abort("JBang builds skipped by -Drelaylab.skipJbang=true");
            }));
        }
        return aliases().entrySet().stream().map(alias -> dynamicTest(alias.getKey() + " builds", () -> {
            Path log = Files.createTempFile("jbang-build-", ".log");
            Process process = new ProcessBuilder(ROOT.resolve("jbang").toString(), "build", alias.getValue())
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log);
            Files.delete(log);
            assertThat(finished).as("jbang build %s finished within 5 minutes", alias.getValue()).isTrue();
            assertThat(process.exitValue()).as("exit status of ./jbang build %s; it printed:%n%s", alias.getValue(), output)
                    .isZero();
        }));
    }
}
