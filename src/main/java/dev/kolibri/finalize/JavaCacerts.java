package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What Debian's ca-certificates-java does after {@code update-ca-certificates --fresh}: when the tree has a JRE whose
 * {@code lib/security/cacerts} links to {@code /etc/ssl/certs/java/cacerts} (or ca-certificates-java is installed)
 * and the CA bundle exists, writes {@code /etc/ssl/certs/java/cacerts} as a JKS store (password {@code changeit})
 * with one trusted entry per {@code /etc/ssl/certs/<Name>.pem} link made by {@link CaCertificates}, aliased
 * {@code debian:<name>.pem} (lower case, as the JDK's JKS stores aliases). Runs after {@code ca-certificates}.
 */
public final class JavaCacerts implements Step {
    static final String KEYSTORE = CaCertificates.CERTS + "/java/cacerts";
    private static final Pattern JRE_CACERTS = Pattern.compile("usr/lib/jvm/[^/]+/(jre/)?lib/security/cacerts");

    @Override
    public String name() {
        return "java-cacerts";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        if (!hasJre(tree) && !ctx.installedPackages().contains("ca-certificates-java")) return;
        Optional<FileEntry> bundle = Trees.file(tree, CaCertificates.BUNDLE);
        if (bundle.isEmpty()) {
            ctx.report().warn(name(), "a JRE reads /" + KEYSTORE + ", but there is no CA bundle /" + CaCertificates.BUNDLE
                    + "; install ca-certificates to get a Java trust store");
            return;
        }
        Map<String, byte[]> entries = new TreeMap<>();
        String certsDir = Trees.real(tree, CaCertificates.CERTS, name());
        for (FileEntry e : List.copyOf(tree.under(certsDir))) {
            String n = e.path().substring(certsDir.length() + 1);
            if (n.indexOf('/') >= 0 || !n.endsWith(".pem") || e.type() != EntryType.SYMLINK || !fromUpdate(e.linkTarget())) continue;
            Optional<FileEntry> f = Trees.file(tree, e.path());
            if (f.isEmpty()) continue;
            List<byte[]> certs = Pem.read(f.get().content()).certificates();
            byte[] der;
            try {
                if (certs.isEmpty()) throw new IllegalArgumentException("no PEM certificate in it");
                der = X509.parse(certs.get(0)).der();
            } catch (IllegalArgumentException ex) {
                ctx.report().warn(name(), "/" + e.path() + " is left out of the Java keystore: " + ex.getMessage());
                continue;
            }
            String alias = ("debian:" + n).toLowerCase(Locale.ENGLISH);
            if (entries.put(alias, der) != null) {
                ctx.report().warn(name(), "two certificate links map to alias '" + alias + "'; /" + e.path() + " wins");
            }
        }
        Set<ByteBuffer> have = new HashSet<>();
        entries.values().forEach(d -> have.add(ByteBuffer.wrap(d)));
        List<byte[]> inBundle = Pem.read(bundle.get().content()).certificates();
        for (int i = 0; i < inBundle.size(); i++) {
            if (have.contains(ByteBuffer.wrap(inBundle.get(i)))) continue;
            try {
                X509.parse(inBundle.get(i));
            } catch (IllegalArgumentException ex) {
                ctx.report().warn(name(), "certificate " + (i + 1) + " of /" + CaCertificates.BUNDLE + " is left out: " + ex.getMessage());
                continue;
            }
            entries.put("debian:ca-certificates.crt-" + (i + 1), inBundle.get(i));
        }
        Trees.write(tree, KEYSTORE, JksWriter.trustStore(entries, ctx.epoch() * 1000), 0644, ctx.epoch(), name());
    }

    /** A JRE in the tree that reads the Debian keystore. */
    static boolean hasJre(FileTree tree) {
        for (FileEntry e : tree.under("usr/lib/jvm")) {
            if (e.type() == EntryType.SYMLINK && JRE_CACERTS.matcher(e.path()).matches()
                    && e.linkTarget().equals("/" + KEYSTORE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromUpdate(String target) {
        return target.startsWith("/" + CaCertificates.SHARE + "/") || target.startsWith("/" + CaCertificates.LOCAL + "/");
    }
}
