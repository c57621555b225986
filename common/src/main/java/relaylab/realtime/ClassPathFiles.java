package relaylab.realtime;

import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.Resource;
import io.undertow.server.handlers.resource.ResourceChangeListener;
import io.undertow.server.handlers.resource.ResourceManager;

import java.io.IOException;
import java.util.Locale;

/**
 * The static files of {@code cfg.staticFiles(...)}: one classpath folder, served through Undertow's
 * ClassPathResourceManager after a check of every path. A classpath holds much more than web pages (the
 * server's own classes, library jars), so this refuses, as "not found": compiled classes and Java sources,
 * anything under META-INF, and any path that could leave the folder ({@code ..}, {@code .}, backslashes, or
 * percent signs left over from double encoding).
 */
final class ClassPathFiles implements ResourceManager {
    private static final System.Logger LOG = CoreLog.LOG;

    private final ResourceManager files;
    private final String folder;

    ClassPathFiles(ClassLoader loader, String folder) {
        this.folder = folder;
        this.files = new ClassPathResourceManager(loader, folder);
    }

    @Override
    public Resource getResource(String path) throws IOException {
        if (!servable(path)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "static file request " + path + " refused (outside the folder \""
                    + folder + "\", a class, a source or META-INF)");
            return null;
        }
        return files.getResource(path);
    }

    /**
     * True when {@code path} (the decoded request path, relative to the folder) names something inside the
     * folder that may be served. Package-private for the tests.
     */
    static boolean servable(String path) {
        if (path == null) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '%' || c == ':') {
                return false;
            }
        }
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean edge = i == 0 || i == segments.length - 1;
            if (segment.isEmpty() ? !edge : segment.equals(".") || segment.equals("..")
                    || segment.equalsIgnoreCase("META-INF")) {
                return false;
            }
        }
        String name = segments[segments.length - 1].toLowerCase(Locale.ROOT);
        return !name.endsWith(".class") && !name.endsWith(".java");
    }

    @Override
    public boolean isResourceChangeListenerSupported() {
        return false;
    }

    @Override
    public void registerResourceChangeListener(ResourceChangeListener listener) {
        throw new UnsupportedOperationException("classpath static files do not report changes");
    }

    @Override
    public void removeResourceChangeListener(ResourceChangeListener listener) {
        throw new UnsupportedOperationException("classpath static files do not report changes");
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
