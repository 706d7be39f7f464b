package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What Debian's ca-certificates postinst and {@code update-ca-certificates --fresh} do, when
 * {@code /usr/share/ca-certificates} exists: pick the certificates ({@code /etc/ca-certificates.conf}, written with
 * every shipped certificate when absent, then {@code /usr/local/share/ca-certificates/**.crt} in byte order),
 * write {@code /etc/ssl/certs/ca-certificates.crt} (each certificate's bytes, plus a newline where one is missing),
 * a {@code <Name>.pem} symlink per certificate and OpenSSL's {@code <subject_hash>.N} links ({@code openssl rehash}),
 * and set {@code SSL_CERT_FILE}.
 */
public final class CaCertificates implements Step {
    static final String SHARE = "usr/share/ca-certificates";
    static final String LOCAL = "usr/local/share/ca-certificates";
    static final String CONF = "etc/ca-certificates.conf";
    static final String CERTS = "etc/ssl/certs";
    static final String BUNDLE = CERTS + "/ca-certificates.crt";
    private static final Pattern HASH_LINK = Pattern.compile("[0-9a-f]{8}\\.r?[0-9]+");
    private static final Comparator<String> BYTES = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    @Override
    public String name() {
        return "ca-certificates";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        if (!Trees.isDirectory(tree, SHARE)) return;
        long epoch = ctx.epoch();
        if (tree.resolve(CONF).flatMap(tree::get).isEmpty()) {
            Trees.write(tree, CONF, defaultConf(tree), 0644, epoch, name());
        }
        List<String> selected = selected(tree, ctx);

        Trees.directory(tree, CERTS, 0755, 0, 0, false, epoch, name());
        String certsDir = Trees.real(tree, CERTS, name());
        clearOldLinks(tree, certsDir);

        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        for (String cert : selected) {
            byte[] b = Trees.file(tree, cert).orElseThrow().content();
            bundle.writeBytes(b);
            if (b.length > 0 && b[b.length - 1] != '\n') bundle.write('\n');
            Trees.symlink(tree, certsDir + "/" + pemName(cert), "/" + cert, epoch, name());
        }
        removeDangling(tree, certsDir, ctx);
        rehash(tree, certsDir, epoch, ctx);
        if (selected.isEmpty()) {
            ctx.report().warn(name(), "no certificate is selected; /" + BUNDLE + " is not written");
            return;
        }
        Trees.write(tree, certsDir + "/ca-certificates.crt", bundle.toByteArray(), 0644, epoch, name());
        ctx.report().env("SSL_CERT_FILE", "/" + BUNDLE);
    }

    /** What the postinst writes on a fresh install with the default answers: every shipped certificate, enabled. */
    private static byte[] defaultConf(FileTree tree) {
        StringBuilder sb = new StringBuilder("# Certificates under /usr/share/ca-certificates that /etc/ssl/certs trusts.\n"
                + "# A line starting with ! deselects a certificate; # starts a comment.\n");
        for (String p : crtFiles(tree, SHARE)) sb.append(p.substring(SHARE.length() + 1)).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Tree paths of the certificates to trust, in bundle order. */
    private List<String> selected(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        List<String> out = new ArrayList<>();
        FileEntry conf = Trees.file(tree, CONF).orElseThrow(
                () -> new FinalizeException(name(), "/" + CONF + " is not a regular file"));
        for (String line : new String(conf.content(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) continue;
            String crt = shellRead(line);
            String path = SHARE + "/" + crt;
            if (Trees.file(tree, path).isEmpty()) {
                ctx.report().warn(name(), "/" + path + " not found, but listed in /" + CONF);
                continue;
            }
            out.add(path);
        }
        out.addAll(crtFiles(tree, LOCAL));
        return out;
    }

    /** {@code find -L DIR -type f -name '*.crt' | LC_ALL=C sort}: paths under DIR (as spelled) that lead to files. */
    static List<String> crtFiles(FileTree tree, String dir) {
        Optional<String> real = tree.resolve(dir);
        if (real.isEmpty() || !Trees.isDirectory(tree, dir)) return List.of();
        List<String> out = new ArrayList<>();
        for (FileEntry e : tree.under(real.get())) {
            String spelled = dir + e.path().substring(real.get().length());
            if (spelled.endsWith(".crt") && e.type() != EntryType.DIRECTORY && Trees.file(tree, e.path()).isPresent()) {
                out.add(spelled);
            }
        }
        out.sort(BYTES);
        return out;
    }

    /** The shell's {@code read crt}: outer blanks trimmed, backslashes removed (escaping the next character). */
    private static String shellRead(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) c = line.charAt(++i);
            sb.append(c);
        }
        return sb.toString().replaceAll("^[ \\t]+|[ \\t]+$", "");
    }

    /** {@code basename CERT .crt}, then spaces and commas to {@code _}, parentheses to {@code =}, plus {@code .pem}. */
    static String pemName(String certPath) {
        String base = certPath.substring(certPath.lastIndexOf('/') + 1);
        if (base.endsWith(".crt") && base.length() > 4) base = base.substring(0, base.length() - 4);
        return base.replace(' ', '_').replace(',', '_').replace('(', '=').replace(')', '=') + ".pem";
    }

    /** {@code --fresh}: links into the certificate directories, and all hash links, are made again from scratch. */
    private static void clearOldLinks(FileTree tree, String certsDir) {
        tree.removeIf(e -> e.type() == EntryType.SYMLINK && e.path().startsWith(certsDir + "/")
                && (e.linkTarget().startsWith("/" + SHARE) || e.linkTarget().startsWith("/" + LOCAL)
                || (e.path().lastIndexOf('/') == certsDir.length()
                && HASH_LINK.matcher(e.path().substring(certsDir.length() + 1)).matches())));
    }

    private void removeDangling(FileTree tree, String certsDir, FinalizeContext ctx) {
        List<String> dangling = new ArrayList<>();
        for (FileEntry e : tree.under(certsDir)) {
            if (e.type() == EntryType.SYMLINK && tree.resolve(e.path()).flatMap(tree::get).isEmpty()) dangling.add(e.path());
        }
        for (String p : dangling) {
            tree.remove(p);
            ctx.report().warn(name(), "removed /" + p + ": its target does not exist in the image");
        }
    }

    /** {@code openssl rehash DIR} on a directory without hash links: {@code <subject_hash>.N -> NAME} per certificate. */
    private void rehash(FileTree tree, String certsDir, long epoch, FinalizeContext ctx) throws FinalizeException {
        List<String> names = new ArrayList<>();
        for (FileEntry e : tree.under(certsDir)) {
            String n = e.path().substring(certsDir.length() + 1);
            // The bundle is left out: on a first run the real script writes it only after rehashing.
            if (n.indexOf('/') < 0 && !n.equals("ca-certificates.crt")) names.add(n);
        }
        names.sort(BYTES);
        Map<String, List<byte[]>> buckets = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        for (String n : names) {
            int dot = n.lastIndexOf('.');
            String ext = dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (!Set.of("pem", "crt", "cer", "crl").contains(ext)) continue;
            Optional<FileEntry> f = Trees.file(tree, certsDir + "/" + n);
            if (f.isEmpty()) continue;
            String hash;
            byte[] fingerprint;
            try {
                Pem.Contents c = Pem.read(f.get().content());
                if (c.certificates().size() != 1 || c.crls() != 0) continue; // rehash: "not exactly one certificate"
                hash = SubjectHash.ofCertificate(c.certificates().get(0));
                fingerprint = MessageDigest.getInstance("SHA-256").digest(c.certificates().get(0));
            } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
                ctx.report().warn(name(), "/" + certsDir + "/" + n + " is not a readable certificate (" + e.getMessage() + "); no hash link");
                continue;
            }
            List<byte[]> bucket = buckets.computeIfAbsent(hash, h -> new ArrayList<>());
            if (bucket.stream().anyMatch(d -> Arrays.equals(d, fingerprint))) continue; // duplicate certificate
            links.put(hash + "." + bucket.size(), n);
            bucket.add(fingerprint);
        }
        for (Map.Entry<String, String> l : links.entrySet()) {
            Trees.symlink(tree, certsDir + "/" + l.getKey(), l.getValue(), epoch, name());
        }
    }
}
