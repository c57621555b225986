package relaylab.grader;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles one lesson's Java files in-process with javac, against the grader's own class path
 * (common/ and every library a lesson may use), and loads the result in a fresh class loader.
 */
final class LessonCompiler {
    private final Path root;

    LessonCompiler(Path root) {
        this.root = root;
    }

    /** The compiled lesson: its class loader, its main (non-test) classes and its test classes. */
    record Compiled(URLClassLoader loader, List<Class<?>> mainClasses, List<Class<?>> testClasses, Path output)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean up " + output, e);
            }
            delete(output);
        }
    }

    static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + folder, e);
        }
    }

    /**
     * Compiles {@code sources} (tests are the files named *Test.java) and loads every class.
     * {@code resources} is put on the class path too, so a lesson finds its index.html.
     *
     * @throws CompileFailure with javac's messages, file and line when the code does not compile
     */
    Compiled compile(List<Path> sources, Path resources) {
        return compile(sources, resources, newOutputFolder());
    }

    /** A fresh temporary folder for compiled classes, known before compiling so the tests' JVM can start early. */
    static Path newOutputFolder() {
        try {
            return Files.createTempDirectory("relaylab-grade-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for compiled classes", e);
        }
    }

    /** Like {@link #compile(List, Path)}, writing the classes to {@code output}, which the result deletes when closed. */
    Compiled compile(List<Path> sources, Path resources, Path output) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new GradeException("this Java has no compiler (javac); run the grader with a JDK 17+, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, Path> classSources = new LinkedHashMap<>();
        try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ENGLISH, StandardCharsets.UTF_8);
             JavaFileManager recording = new Recording(standard, classSources)) {
            List<String> options = List.of("-d", output.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-parameters", "-g", "-encoding", "UTF-8", "-proc:none", "-Xlint:none", "-nowarn");
            Iterable<? extends JavaFileObject> units = standard.getJavaFileObjectsFromPaths(sources);
            boolean ok = javac.getTask(null, recording, diagnostics, options, null, units).call();
            if (!ok) {
                delete(output);
                throw new CompileFailure(format(diagnostics.getDiagnostics()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile " + sources, e);
        }
        return load(output, resources, classSources);
    }

    private Compiled load(Path output, Path resources, Map<String, Path> classSources) {
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {output.toUri().toURL(), resources.toUri().toURL()},
                    LessonCompiler.class.getClassLoader());
            List<Class<?>> main = new ArrayList<>();
            List<Class<?>> tests = new ArrayList<>();
            for (Map.Entry<String, Path> entry : classSources.entrySet()) {
                Class<?> type = Class.forName(entry.getKey(), false, loader);
                boolean test = entry.getValue().getFileName().toString().endsWith("Test.java");
                if (!test) {
                    main.add(type);
                } else if (type.getEnclosingClass() == null && !type.isAnonymousClass()) {
                    tests.add(type);
                }
            }
            return new Compiled(loader, main, tests, output);
        } catch (MalformedURLException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot load the classes javac just wrote to " + output, e);
        }
    }

    private String format(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        StringBuilder text = new StringBuilder();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            errors++;
            String file = d.getSource() == null ? "?" : relative(Path.of(d.getSource().toUri()));
            text.append(file).append(':').append(d.getLineNumber()).append(": error: ")
                    .append(d.getMessage(Locale.ENGLISH)).append('\n');
            String line = sourceLine(d);
            if (line != null) {
                text.append("    ").append(line.stripTrailing()).append('\n');
                if (d.getColumnNumber() > 0) {
                    text.append("    ").append(" ".repeat((int) d.getColumnNumber() - 1)).append("^\n");
                }
            }
        }
        text.append(errors).append(errors == 1 ? " error" : " errors");
        return text.toString();
    }

    private static String sourceLine(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null || d.getLineNumber() < 1) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(d.getSource().toUri()), StandardCharsets.UTF_8);
            return d.getLineNumber() <= lines.size() ? lines.get((int) d.getLineNumber() - 1).replace('\t', ' ') : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String relative(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString().replace(File.separatorChar, '/')
                : absolute.toString();
    }

    /** javac's messages when a lesson does not compile, formatted with file, line and a caret. */
    static final class CompileFailure extends RuntimeException {
        CompileFailure(String message) {
            super(message);
        }
    }

    /** Remembers which source file each class file came from. */
    private static final class Recording extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, Path> classSources;

        Recording(StandardJavaFileManager standard, Map<String, Path> classSources) {
            super(standard);
            this.classSources = classSources;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) throws IOException {
            if (kind == JavaFileObject.Kind.CLASS && sibling != null) {
                classSources.put(className, Path.of(sibling.toUri()));
            }
            return super.getJavaFileForOutput(location, className, kind, sibling);
        }
    }
}
