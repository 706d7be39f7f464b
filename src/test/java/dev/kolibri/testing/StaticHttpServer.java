package dev.kolibri.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Serves a directory over HTTP on 127.0.0.1 (a free port) for fixture repositories. A fault hook may answer a
 * request instead (status code, or -1 to drop the connection). Every requested path is recorded.
 */
public final class StaticHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path root;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, Integer> fault = p -> 0;

    private StaticHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public static StaticHttpServer serve(Path root) throws IOException {
        return new StaticHttpServer(root);
    }

    /** Base URL with a trailing slash, e.g. {@code http://127.0.0.1:41234/}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Requested paths (without the leading slash), in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** path -> 0 to serve normally, an HTTP status to answer with, or -1 to close the connection unanswered. */
    public void fault(Function<String, Integer> f) {
        this.fault = f;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String rel = ex.getRequestURI().getPath().replaceFirst("^/+", "");
            requests.add(rel);
            int f = fault.apply(rel);
            if (f < 0) {
                ex.getResponseBody().close();
                ex.close();
                return;
            }
            if (f > 0) {
                ex.sendResponseHeaders(f, -1);
                return;
            }
            Path p = root.resolve(rel).normalize();
            if (!p.startsWith(root) || !Files.isRegularFile(p)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long len = Files.size(p);
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(200, head ? -1 : (len == 0 ? -1 : len));
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    Files.copy(p, out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
