package relaylab.grader;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Makes the tests' JVM start faster from the second grading on: the first child writes the classes it
 * loaded (JUnit, AssertJ, the grader) to a class data archive, and later children map it instead of
 * loading those classes again (CDS, Java 13+). Used only when the class path holds jars alone (as
 * under JBang), since an archive cannot describe folders; any mismatch and the JVM simply ignores it.
 */
final class ClassDataArchive {
    private ClassDataArchive() {
    }

    /** The JVM options for a child with class path {@code classPath}: use the archive, or write it. */
    static List<String> options(String classPath) {
        if (Runtime.version().feature() < 13 || Boolean.getBoolean("relaylab.grader.nocds")
                || !List.of(classPath.split(File.pathSeparator)).stream().allMatch(p -> p.endsWith(".jar") && Files.isRegularFile(Path.of(p)))) {
            return List.of();
        }
        String key = UUID.nameUUIDFromBytes((classPath + Runtime.version() + System.getProperty("user.name"))
                .getBytes(StandardCharsets.UTF_8)).toString();
        Path archive = Path.of(System.getProperty("java.io.tmpdir"), "relaylab-grader-" + key + ".jsa");
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        // written when this child exits; a half-written archive is refused by the next JVM, which then runs without
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }
}
