package relaylab.present;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The presenter's terminal switched to single keys: {@code stty -icanon -echo} on {@code /dev/tty}, so that n, p, q
 * and a digit act at once, without Enter. The settings it found are put back on {@link #close} and, should the
 * presenter be stopped with Ctrl-C, by a shutdown hook.
 */
final class RawTerminal implements PresentCommand.KeyMode {
    private static final Path TTY = Path.of("/dev/tty");
    private final String saved;
    private final Thread restoreOnExit;
    private boolean restored;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = new Thread(this::restore, "present-restore-terminal");
    }

    /**
     * Called once by the present command when it runs on a terminal. Empty where there is no terminal to switch
     * (input or output redirected, Windows, no {@code stty}): then keys are read a line at a time, with Enter;
     * {@code why} gets the reason when switching failed on what looked like a terminal.
     */
    static Optional<RawTerminal> open(boolean console, java.util.function.Consumer<String> why) {
        if (!console || !Files.isReadable(TTY)) {
            return Optional.empty();
        }
        try {
            RawTerminal terminal = new RawTerminal(stty("-g").strip());
            Runtime.getRuntime().addShutdownHook(terminal.restoreOnExit);   // first: a Ctrl-C from here on restores
            try {
                stty("-icanon", "-echo", "min", "1");
            } catch (IOException e) {
                terminal.close();
                throw e;
            }
            return Optional.of(terminal);
        } catch (IOException e) {
            why.accept("keys need Enter here: the terminal could not be switched to single keys (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private static String stty(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        Process stty = new ProcessBuilder(command).redirectInput(TTY.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        try {
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(stty.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!stty.waitFor(5, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed" + (err.isEmpty() ? "" : ": " + err));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("present: could not restore the terminal (" + e.getMessage() + "); run: stty sane");
        }
    }

    /** Puts the terminal's settings back; called when the walk ends. */
    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (and finds the terminal restored)
        }
    }

}
