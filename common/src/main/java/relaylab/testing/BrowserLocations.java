package relaylab.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where Chrome, Chromium and chromedriver are usually installed on Linux, macOS and Windows, and the PATH. */
final class BrowserLocations {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private BrowserLocations() {
    }

    /** Candidate browser executables, most likely first. */
    static List<Path> browsers() {
        List<Path> paths = new ArrayList<>();
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")) {
            paths.add(Path.of("/usr/bin", name));
        }
        paths.add(Path.of("/snap/bin/chromium"));
        String home = System.getProperty("user.home", "");
        for (String app : List.of("Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium")) {
            paths.add(Path.of("/Applications", app));
            paths.add(Path.of(home, "Applications", app));
        }
        for (String env : List.of("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")) {
            String dir = System.getenv(env);
            if (dir != null) {
                paths.add(Path.of(dir, "Google", "Chrome", "Application", "chrome.exe"));
                paths.add(Path.of(dir, "Chromium", "Application", "chrome.exe"));
            }
        }
        paths.addAll(onPath(List.of("chromium", "chromium-browser", "google-chrome", "chrome")));
        return paths;
    }

    /** Candidate chromedriver executables, most likely first. */
    static List<Path> drivers() {
        List<Path> paths = new ArrayList<>(List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"),
                Path.of("/usr/lib/chromium-browser/chromedriver"), Path.of("/snap/bin/chromium.chromedriver"),
                Path.of("/opt/homebrew/bin/chromedriver"), Path.of("/usr/local/bin/chromedriver")));
        paths.addAll(onPath(List.of("chromedriver")));
        return paths;
    }

    private static List<Path> onPath(List<String> names) {
        List<Path> paths = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path == null) {
            return paths;
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : names) {
                if (!dir.isBlank()) {
                    paths.add(Path.of(dir, WINDOWS ? name + ".exe" : name));
                }
            }
        }
        return paths;
    }
}
