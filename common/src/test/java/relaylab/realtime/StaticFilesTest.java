package relaylab.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import relaylab.realtime.testing.RealtimeFixture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Classpath static files: what is served, what never is, and which class loader finds the files. */
class StaticFilesTest {
    private static final String CORE_PUBLIC = "/relaylab/realtime/corepublic";

    /** Status line and body of a raw HTTP/1.1 GET: the path goes on the wire exactly as written. */
    private record Answer(int status, String body) {
    }

    private static Answer rawGet(RealtimeFixture fx, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fx.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        }
    }

    private static RealtimeFixture server(Consumer<RealtimeConfig> cfg) {
        return RealtimeFixture.start(cfg, server -> { });
    }

    @Test
    @DisplayName("staticFiles(\"/\") serves pages but never classes, Java sources or META-INF: those answer 404")
    void classpathRootHidesClassesAndMetaInf() throws Exception {
        assertThat(RealtimeServer.class.getClassLoader().getResource("META-INF/MANIFEST.MF"))
                .as("a META-INF/MANIFEST.MF on the test classpath (from a library jar), so the check below means something").isNotNull();
        try (RealtimeFixture fx = server(cfg -> cfg.staticFiles("/"))) {
            assertThat(rawGet(fx, CORE_PUBLIC + "/index.html").status()).as("a page under the root").isEqualTo(200);
            for (String path : new String[] {"/relaylab/realtime/RealtimeServer.class", "/relaylab/realtime/StaticFilesTest.class",
                    "/org/junit/jupiter/api/Test.class", "/META-INF/MANIFEST.MF", "/meta-inf/MANIFEST.MF",
                    "/relaylab/realtime/RealtimeServer.CLASS", "/relaylab/realtime/../realtime/RealtimeServer.class"}) {
                assertThat(rawGet(fx, path).status()).as("GET " + path + " must not be served").isEqualTo(404);
            }
        }
    }

    @Test
    @DisplayName("a classpath folder cannot be left with .. or its encoded forms")
    void noPathTraversal() throws Exception {
        // the interop page sits next to corepublic: reachable only by leaving the folder
        assertThat(getClass().getResource("/relaylab/realtime/interop/page/index.html")).as("the sibling page").isNotNull();
        try (RealtimeFixture fx = server(cfg -> cfg.staticFiles(CORE_PUBLIC))) {
            Answer index = rawGet(fx, "/");
            assertThat(index.status()).as("the folder's own index.html at /").isEqualTo(200);
            assertThat(index.body()).contains("core static");
            for (String path : new String[] {"/../interop/page/index.html", "/%2e%2e/interop/page/index.html",
                    "/%2E%2E/interop/page/index.html", "/.%2e/interop/page/index.html", "/..%2finterop%2fpage%2findex.html",
                    "/..%2Finterop/page/index.html", "/..%5cinterop%5cpage%5cindex.html", "/%252e%252e/interop/page/index.html",
                    "/./../interop/page/index.html", "/../../relaylab/realtime/interop/page/index.html",
                    "/../RealtimeServer.class", "/%2e%2e/%2e%2e/%2e%2e/relaylab/realtime/RealtimeServer.class"}) {
                assertThat(rawGet(fx, path).status()).as("GET " + path + " must stay inside " + CORE_PUBLIC).isEqualTo(404);
            }
        }
    }

    @Test
    @DisplayName("the path check refuses .., ., backslashes, leftover percent signs, classes, sources and META-INF")
    void pathCheck() {
        assertThat(ClassPathFiles.servable("/index.html")).isTrue();
        assertThat(ClassPathFiles.servable("/")).isTrue();
        assertThat(ClassPathFiles.servable("")).isTrue();
        assertThat(ClassPathFiles.servable("/css/site.css")).isTrue();
        assertThat(ClassPathFiles.servable("/img/")).isTrue();
        for (String path : new String[] {null, "/../x.html", "/a/../../x.html", "/./x.html", "/..", "/a/..", "/a\\..\\x",
                "/%2e%2e/x", "/a%2fb", "/a//b.html", "/X.class", "/a/B.CLASS", "/Lesson.java", "/META-INF/x.txt",
                "/a/Meta-Inf/x.txt", "/a\u0000.html", "/C:/x.html"}) {
            assertThat(ClassPathFiles.servable(path)).as("servable(" + path + ")").isFalse();
        }
    }

    @Test
    @DisplayName("staticFiles(Class, folder) uses the anchor's class loader, whatever the thread's context loader")
    void anchorLoader() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            Thread.currentThread().setContextClassLoader(empty);
            try (RealtimeFixture anchored = server(cfg -> cfg.staticFiles(StaticFilesTest.class, CORE_PUBLIC));
                 RealtimeFixture contextual = server(cfg -> cfg.staticFiles(CORE_PUBLIC))) {
                Thread.currentThread().setContextClassLoader(before);
                assertThat(rawGet(anchored, "/index.html").status()).as("found with the anchor's loader").isEqualTo(200);
                assertThat(rawGet(contextual, "/index.html").status())
                        .as("staticFiles(String) looks in the context loader of the thread that configured it (empty here)").isEqualTo(404);
                assertThat(rawGet(contextual, "/socket.io/socket.io.js").status())
                        .as("the browser client still comes from the realtime classes' loader").isEqualTo(200);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    @DisplayName("staticFiles(String) serves from the context class loader set while the server is created")
    void contextLoader(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ctxpage"));
        Files.writeString(dir.resolve("ctxpage/index.html"), "from the context loader");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            try (RealtimeFixture contextual = server(cfg -> cfg.staticFiles("/ctxpage"));
                 RealtimeFixture anchored = server(cfg -> cfg.staticFiles(StaticFilesTest.class, "/ctxpage"))) {
                Thread.currentThread().setContextClassLoader(before);
                Answer page = rawGet(contextual, "/index.html");
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.body()).isEqualTo("from the context loader");
                assertThat(rawGet(anchored, "/index.html").status()).as("not on the anchor's classpath").isEqualTo(404);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
