package relaylab.present;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The committed text of a workbook file, read with {@code git show HEAD:path}: the untouched exercise
 * while the instructor live codes in {@code lessons/NN-slug}. Empty when the workbook is not a git
 * clone, git is missing, or the file is not committed; the caller then says what it shows instead.
 */
final class Committed {
    private final Path root;

    Committed(Path root) {
        this.root = root;
    }

    /** The file's text at HEAD, or empty when git cannot give it (see the class comment). */
    Optional<String> text(Path file) {
        String relative = root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
        List<String> command = List.of("git", "-C", root.toString(), "show", "HEAD:" + relative);
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            return git.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no git on the PATH: the presenter uses the files as they are and says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
