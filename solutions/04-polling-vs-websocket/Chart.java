import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Writes the results as one self-contained HTML page with inline SVG bar charts: no script, no
 * library, nothing fetched, so it opens from disk in any browser. Hand-written on purpose: five
 * bar charts are about sixty lines, less than wiring up a charting library.
 */
final class Chart {
    private static final String[] COLORS = {"#d9822b", "#3b7dd8", "#2e9e5b"};
    private static final int WIDTH = 640;
    private static final int LABEL = 130;
    private static final int ROW = 34;

    private Chart() {
    }

    /** Writes the page to {@code file} (creating its folder) and returns its absolute path. */
    static Path write(List<PollingVsWebSocket.Result> results, PollingVsWebSocket.Workload workload, Path file)
            throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Relay Lab 04: polling vs WebSocket</title><style>body{font-family:sans-serif;margin:2em;"
                + "max-width:700px}h2{font-size:1.05em;margin:1.6em 0 .3em}text{font-size:13px}</style></head><body>\n");
        html.append("<h1>Polling vs WebSocket</h1>\n<p>").append(String.format(Locale.ROOT,
                "%d users, %.1f messages per second together, %d s per transport, short polling every %d ms, on loopback.",
                workload.users(), workload.messagesPerSecond(), workload.duration().toSeconds(),
                workload.interval().toMillis())).append(" Shorter bars are better.</p>\n");
        panel(html, "Median latency (p50), ms", results, PollingVsWebSocket.Result::p50Millis, "%.1f");
        panel(html, "Tail latency (p99), ms", results, PollingVsWebSocket.Result::p99Millis, "%.1f");
        panel(html, "Bytes on the wire per message (both directions)", results,
                PollingVsWebSocket.Result::bytesPerMessage, "%.0f");
        panel(html, "HTTP requests", results, r -> r.requests(), "%.0f");
        panel(html, "Server CPU time, ms", results, r -> r.serverCpuNanos() / 1e6, "%.0f");
        html.append("</body></html>\n");
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, html, StandardCharsets.UTF_8);
        return target;
    }

    /** One horizontal bar per transport, scaled to the largest value of the panel. */
    private static void panel(StringBuilder html, String title, List<PollingVsWebSocket.Result> results,
            ToDoubleFunction<PollingVsWebSocket.Result> metric, String format) {
        double max = results.stream().mapToDouble(metric).max().orElse(0);
        int height = results.size() * ROW + 8;
        html.append("<h2>").append(escape(title)).append("</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH).append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"")
                .append(escape(title)).append("\">\n");
        for (int i = 0; i < results.size(); i++) {
            PollingVsWebSocket.Result result = results.get(i);
            double value = metric.applyAsDouble(result);
            int bar = max <= 0 ? 0 : (int) Math.round((WIDTH - LABEL - 90) * value / max);
            int y = 4 + i * ROW;
            html.append(String.format(Locale.ROOT, "  <text x=\"0\" y=\"%d\">%s</text>%n", y + 19,
                    escape(result.transport().label())));
            html.append(String.format(Locale.ROOT, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"24\" fill=\"%s\"/>%n",
                    LABEL, y + 2, Math.max(bar, 1), COLORS[result.transport().ordinal() % COLORS.length]));
            html.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\">%s</text>%n", LABEL + Math.max(bar, 1) + 6,
                    y + 19, String.format(Locale.ROOT, format, value)));
        }
        html.append("</svg>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
