package relaylab.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Puts a lesson's exercise back as it was ({@code grade NN --reset}). The learner's current files
 * are copied to .relaylab/backup/ first, so a reset never loses work. The original comes from git:
 * as the workbook was cloned (the upstream branch, origin/HEAD) when there is one, otherwise the last commit.
 */
final class Reset {
    private final Workbook workbook;
    private final Console console;

    Reset(Workbook workbook, Console console) {
        this.workbook = workbook;
        this.console = console;
    }

    void reset(LessonFolder lesson) {
        Path root = workbook.root();
        String path = root.relativize(lesson.exercise()).toString();
        if (!Files.isDirectory(root.resolve(".git"))) {
            throw new GradeException("--reset needs the workbook to be a git clone, and " + root + " is not one."
                    + " Download a fresh copy of " + path + " instead.");
        }
        String source = git("rev-parse", "--verify", "--quiet", "origin/HEAD").isEmpty() ? "HEAD" : "origin/HEAD";
        Path backup = root.resolve(".relaylab").resolve("backup").resolve(lesson.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        copy(lesson.exercise(), backup);
        git("checkout", source, "--", path);
        console.out().printf("Lesson %02d is back as it %s. Your previous files are in %s%n", lesson.number(),
                source.equals("HEAD") ? "was in your last commit" : "came with the workbook", root.relativize(backup));
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot back up " + from + " to " + to + "; nothing was reset", e);
        }
    }

    private String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", workbook.root().toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new GradeException("git did not answer within 30 s: " + String.join(" ", command));
            }
            if (process.exitValue() != 0 && !args[0].equals("rev-parse")) {
                throw new GradeException("git failed (" + String.join(" ", command) + "): " + output);
            }
            return process.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            throw new GradeException("--reset needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GradeException("interrupted while running git");
        }
    }
}
