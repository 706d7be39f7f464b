package dev.kolibri.registry;

import dev.kolibri.oci.Digest;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registry image reference: {@code host[:port]/repo[:tag][@digest]}. A name without a registry host (a short
 * name) is qualified only through a {@link ShortNames} policy, which comes from this machine's
 * containers-registries.conf(5); no registry's host is built in. A reference with neither tag nor digest gets the
 * tag {@code latest}.
 *
 * @param registryHost host and optional port, e.g. {@code 127.0.0.1:5000}
 * @param repository   the repository path, lowercase components, e.g. {@code library/python}
 * @param tag          the tag, or null when only a digest is given
 * @param digest       the digest, or null
 */
public record Reference(String registryHost, String repository, String tag, Digest digest) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");

    public Reference {
        Objects.requireNonNull(registryHost, "registryHost");
        Objects.requireNonNull(repository, "repository");
        if (!HOST.matcher(registryHost).matches()) throw new IllegalArgumentException("not a valid registry host: '" + registryHost + "'");
        checkRepository(repository, registryHost + "/" + repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a valid tag '" + tag + "' (want up to 128 of [A-Za-z0-9_.-], not starting with . or -)");
        }
        if (tag == null && digest == null) tag = "latest";
    }

    /**
     * Parses a fully qualified {@code host[:port]/repo[:tag][@digest]}; a short name is refused.
     *
     * @throws IllegalArgumentException with one line naming the input and what is wrong with it
     */
    public static Reference parse(String s) {
        return parse(s, ShortNames.none());
    }

    /**
     * Parses {@code host[:port]/repo[:tag][@digest]}, or a short name ({@code repo[:tag][@digest]}, no host) that
     * {@code shortNames} qualifies.
     *
     * @throws IllegalArgumentException with one line naming the input and what is wrong with it
     */
    public static Reference parse(String s, ShortNames shortNames) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty image reference (want host[:port]/repo[:tag|@digest])");
        if (!s.equals(s.strip())) throw new IllegalArgumentException("image reference '" + s + "' has surrounding whitespace");
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image reference '" + s + "': " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("image reference '" + s + "': not a valid tag '" + tag
                        + "' (want up to 128 of [A-Za-z0-9_.-], not starting with . or -)");
            }
        }
        if (rest.isEmpty()) throw new IllegalArgumentException("image reference '" + s + "' has no repository");
        String host;
        String repo;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("["))) {
            host = first;
            repo = rest.substring(slash + 1);
            if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("image reference '" + s + "': not a valid registry host '" + host + "'");
        } else {
            try {
                checkRepository(rest, s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image reference " + e.getMessage());
            }
            String full = shortNames.qualify(rest, s);
            int cut = full.indexOf('/');
            if (cut <= 0) throw new IllegalArgumentException("image reference '" + s + "' qualifies to '" + full
                    + "' (from " + shortNames.source() + "), which names no registry host; fix that configuration");
            host = full.substring(0, cut);
            repo = full.substring(cut + 1);
            if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("image reference '" + s + "' qualifies to '"
                    + full + "' (from " + shortNames.source() + "): not a valid registry host '" + host + "'");
        }
        try {
            checkRepository(repo, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image reference " + e.getMessage());
        }
        return new Reference(host, repo, tag, digest);
    }

    private static void checkRepository(String repo, String input) {
        if (repo.isEmpty()) throw new IllegalArgumentException("'" + input + "' has no repository");
        if (repo.length() > 255) throw new IllegalArgumentException("'" + input + "': repository name is longer than 255 characters");
        for (String c : repo.split("/", -1)) {
            if (COMPONENT.matcher(c).matches()) continue;
            if (COMPONENT.matcher(c.toLowerCase(java.util.Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("'" + input + "': repository name must be lowercase ('" + c + "')");
            }
            throw new IllegalArgumentException("'" + input + "': not a valid repository path component '" + c
                    + "' (want lowercase letters and digits, separated by '.', '_', '__' or '-')");
        }
    }

    /** A copy with this tag and no digest. */
    public Reference withTag(String t) {
        return new Reference(registryHost, repository, t, null);
    }

    /** A copy with this digest and no tag. */
    public Reference withDigest(Digest d) {
        return new Reference(registryHost, repository, null, d);
    }

    /** What to ask the registry for: the digest when there is one, else the tag. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The host without its port, brackets kept for IPv6. */
    public String hostName() {
        return hostName(registryHost);
    }

    static String hostName(String hostPort) {
        if (hostPort.startsWith("[")) return hostPort.substring(0, hostPort.indexOf(']') + 1);
        int c = hostPort.lastIndexOf(':');
        return c < 0 ? hostPort : hostPort.substring(0, c);
    }

    /** True for {@code localhost}, {@code 127.0.0.0/8} and {@code [::1]}: registries spoken to over plain HTTP. */
    public boolean isLoopback() {
        return isLoopback(registryHost);
    }

    static boolean isLoopback(String hostPort) {
        String h = hostName(hostPort).toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]")) return true;
        String[] p = h.split("\\.", -1);
        if (p.length != 4 || !p[0].equals("127")) return false;
        for (String o : p) {
            if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) return false;
        }
        return true;
    }

    /** {@code host/repo}, the name used in messages. */
    public String name() {
        return registryHost + "/" + repository;
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
