package dev.kolibri.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds registry credentials the way podman, skopeo and docker do. The files, first match wins:
 * {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json},
 * {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker/config.json}). In each: {@code credHelpers} for the
 * host, then {@code auths} (base64 {@code auth} or {@code username}/{@code password}; keys may be URLs, hosts or
 * {@code host/namespace}, the longest match wins), then {@code credsStore}. A helper is
 * {@code docker-credential-<name> get}, found on {@code $PATH}, given the server URL on stdin.
 */
public final class Keychain {

    private final Map<String, String> env;
    private final Path home;

    /** @param env the environment to read ({@code REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR}, {@code DOCKER_CONFIG}, {@code PATH}) */
    public Keychain(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** The keychain of this process: its environment and {@code user.home}. */
    public static Keychain system() {
        return new Keychain(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** A keychain that never finds anything (anonymous access). */
    public static Keychain anonymous() {
        return new Keychain(Map.of(), null);
    }

    /** The auth files searched, in order (whether they exist or not). */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        String f = env.get("REGISTRY_AUTH_FILE");
        if (f != null && !f.isEmpty()) out.add(Path.of(f));
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) out.add(Path.of(xdg, "containers", "auth.json"));
        if (home != null) out.add(home.resolve(".config/containers/auth.json"));
        String dc = env.get("DOCKER_CONFIG");
        if (dc != null && !dc.isEmpty()) out.add(Path.of(dc, "config.json"));
        else if (home != null) out.add(home.resolve(".docker/config.json"));
        return out;
    }

    /** Credentials for a registry host (any repository). */
    public Optional<Credentials> find(String registryHost) throws RegistryException {
        return find(registryHost, null);
    }

    /**
     * Credentials for {@code repository} on {@code registryHost}, or empty for anonymous access.
     *
     * @throws RegistryException (code {@code CREDENTIALS}) when an auth file is malformed or a helper fails
     */
    public Optional<Credentials> find(String registryHost, String repository) throws RegistryException {
        String host = normalizeKey(registryHost);
        for (Path file : files()) {
            if (!Files.isRegularFile(file)) continue;
            JsonNode root;
            try {
                root = Jackson.MAPPER.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw error(file + " is not valid JSON: " + oneLine(e.getMessage()) + "; fix or remove it", e);
            }
            if (root == null || !root.isObject()) throw error(file + " is not a JSON object; fix or remove it", null);
            String helper = helperFor(root.path("credHelpers"), host);
            if (helper != null) {
                Optional<Credentials> c = runHelper(helper, host, file);
                if (c.isPresent()) return c;
            }
            Optional<Credentials> c = fromAuths(root.path("auths"), host, repository, file);
            if (c.isPresent()) return c;
            JsonNode store = root.get("credsStore");
            if (store != null && store.isTextual() && !store.asText().isEmpty()) {
                c = runHelper(store.asText(), host, file);
                if (c.isPresent()) return c;
            }
        }
        return Optional.empty();
    }

    private static String helperFor(JsonNode helpers, String host) {
        if (!helpers.isObject()) return null;
        for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (normalizeKey(e.getKey()).equals(host) && e.getValue().isTextual()) return e.getValue().asText();
        }
        return null;
    }

    private static Optional<Credentials> fromAuths(JsonNode auths, String host, String repository, Path file)
            throws RegistryException {
        if (!auths.isObject()) return Optional.empty();
        String bestKey = null;
        JsonNode best = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            boolean url = key.contains("://");
            String k = url ? normalizeKey(key) : key.toLowerCase(Locale.ROOT);
            int slash = k.indexOf('/');
            String keyHost = normalizeKey(slash < 0 ? k : k.substring(0, slash));
            if (!keyHost.equals(host)) continue;
            if (slash >= 0) {
                String ns = k.substring(slash + 1);
                if (repository == null || !(repository.equals(ns) || repository.startsWith(ns + "/"))) continue;
            }
            if (bestKey == null || k.length() > bestKey.length()) {
                bestKey = k;
                best = e.getValue();
            }
        }
        if (best == null) return Optional.empty();
        JsonNode auth = best.get("auth");
        if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.asText().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw error(file + ": the auth entry for " + host + " is not valid base64; log in again", e);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) throw error(file + ": the auth entry for " + host + " is not base64 of user:password; log in again", null);
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        JsonNode u = best.get("username");
        JsonNode p = best.get("password");
        if (u != null && u.isTextual() && p != null && p.isTextual()) return Optional.of(new Credentials(u.asText(), p.asText()));
        return Optional.empty();
    }

    private Optional<Credentials> runHelper(String name, String host, Path file) throws RegistryException {
        if (!name.matches("[A-Za-z0-9._-]+")) throw error(file + ": credential helper name '" + name + "' is not valid", null);
        String exe = "docker-credential-" + name;
        Path bin = null;
        for (String dir : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                bin = p;
                break;
            }
        }
        if (bin == null) throw error(file + " names the credential helper '" + name + "', but " + exe + " is not on PATH; install it or remove it from the file", null);
        String serverUrl = host;
        try {
            ProcessBuilder pb = new ProcessBuilder(bin.toString(), "get");
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process proc = pb.start();
            try (OutputStream in = proc.getOutputStream()) {
                in.write((serverUrl + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(60, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw error(exe + " get did not finish within 60 s", null);
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (proc.exitValue() != 0) {
                if (text.toLowerCase(Locale.ROOT).contains("credentials not found")) return Optional.empty();
                throw error(exe + " get failed for " + serverUrl + " (exit " + proc.exitValue() + "): " + oneLine(text), null);
            }
            JsonNode n = Jackson.MAPPER.readTree(text);
            JsonNode u = n == null ? null : n.get("Username");
            JsonNode s = n == null ? null : n.get("Secret");
            if (u == null || s == null || !u.isTextual() || !s.isTextual()) {
                throw error(exe + " get answered without Username and Secret for " + serverUrl, null);
            }
            return Optional.of(new Credentials(u.asText(), s.asText()));
        } catch (IOException e) {
            throw error("could not run " + exe + ": " + oneLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw error("interrupted while running " + exe, e);
        }
    }

    /** Lowercase host[:port]; URLs ({@code https://host/v1/}) lose scheme and path. No host is treated specially. */
    static String normalizeKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        int scheme = k.indexOf("://");
        if (scheme >= 0) k = k.substring(scheme + 3);
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static RegistryException error(String msg, Throwable cause) {
        return new RegistryException("CREDENTIALS", 0, false, "credentials: " + msg, cause);
    }
}
