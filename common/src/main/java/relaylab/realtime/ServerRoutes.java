package relaylab.realtime;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What a {@link RealtimeServer} answers on which HTTP path: {@code /socket.io/} is the Engine.IO endpoint
 * ({@link EngineHandler}), {@code /socket.io/socket.io.js} the browser client, anything else a static file from
 * {@code cfg.staticDir} or {@code cfg.staticClasspath} with the configured page headers, or 404.
 */
final class ServerRoutes {
    private static final System.Logger LOG = CoreLog.LOG;
    private static final String CLIENT_SCRIPT = "relaylab/realtime/socket.io.js";

    private final RealtimeConfig config;

    private ServerRoutes(RealtimeConfig config) {
        this.config = config;
    }

    /** The server's HTTP handler: {@code /socket.io/} to the {@link EngineHandler}, the client script, else static files. */
    static HttpHandler root(RealtimeServer server) {
        ServerRoutes routes = new ServerRoutes(server.config);
        EngineHandler engine = new EngineHandler(server);
        HttpHandler socketIo = exchange -> {
            String rest = exchange.getRelativePath();
            if (rest.isEmpty() || rest.equals("/")) {
                engine.handleRequest(exchange);
            } else if (rest.equals("/socket.io.js")) {
                routes.serveClientScript(exchange);
            } else {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                exchange.endExchange();
            }
        };
        PathHandler paths = new PathHandler(routes.staticHandler());
        paths.addPrefixPath("/socket.io", socketIo);
        return paths;
    }

    /** Static files from {@code cfg.staticDir} or the classpath (index.html for folders), with {@code cfg.pageHeader}s. */
    private HttpHandler staticHandler() {
        ResourceManager manager = null;
        if (config.staticDir != null) {
            if (!java.nio.file.Files.isDirectory(config.staticDir)) {
                LOG.log(System.Logger.Level.WARNING, "static directory " + config.staticDir.toAbsolutePath()
                        + " does not exist; every page will be 404");
            }
            manager = new PathResourceManager(config.staticDir);
        } else if (config.staticClasspath != null) {
            ClassLoader loader = config.staticLoader;
            String prefix = config.staticClasspath.replaceAll("^/+|/+$", "");
            if (!prefix.isEmpty() && loader.getResource(prefix) == null
                    && loader.getResource(prefix + "/index.html") == null) {
                LOG.log(System.Logger.Level.WARNING, "static folder \"" + config.staticClasspath + "\" is not on the classpath"
                        + " of " + loader + "; every page will be 404 (put the folder on the classpath: in a JBang script list"
                        + " the files with //FILES, in Maven under src/main/resources; or use cfg.staticDir(Path))");
            }
            manager = new ClassPathFiles(loader, prefix);
        }
        if (manager == null) {
            return ResponseCodeHandler.HANDLE_404;
        }
        HttpHandler files = new ResourceHandler(manager, ResponseCodeHandler.HANDLE_404).setWelcomeFiles("index.html");
        if (config.pageHeaders.isEmpty()) {
            return files;
        }
        Map<String, String> headers = Map.copyOf(config.pageHeaders);
        return exchange -> {
            headers.forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
            files.handleRequest(exchange);
        };
    }

    /** {@code /socket.io/socket.io.js}: the project's browser client, from the classpath. */
    private void serveClientScript(HttpServerExchange exchange) throws IOException {
        URL url = ServerRoutes.class.getClassLoader().getResource(CLIENT_SCRIPT);
        if (url == null && config.staticLoader != null) {
            url = config.staticLoader.getResource(CLIENT_SCRIPT);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (url == null && context != null) {
            url = context.getResource(CLIENT_SCRIPT);
        }
        if (url == null) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseSender().send("the browser client " + CLIENT_SCRIPT + " is not on the classpath");
            return;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/javascript; charset=UTF-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }
}
