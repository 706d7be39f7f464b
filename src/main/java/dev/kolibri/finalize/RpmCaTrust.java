package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Fedora/RHEL's {@code update-ca-trust} does with {@code p11-kit extract} for TLS, when the tree has a trust
 * source ({@code /usr/share/pki/ca-trust-source} or {@code /etc/pki/ca-trust/source}): reads the {@code .p11-kit}
 * files and PEM/DER certificates there ({@code anchors/} trusted, {@code blocklist/} and {@code blacklist/}
 * distrusted; {@code /etc} before {@code /usr/share}), keeps trusted, not distrusted CA certificates usable for
 * server authentication (stapled or own extended key usage), and writes
 * {@code /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem} (each certificate after a {@code # label} line, as
 * {@code --comment} does) and the JKS {@code /etc/pki/ca-trust/extracted/java/cacerts}; makes
 * {@code /etc/pki/tls/certs/ca-bundle.crt} lead to the bundle and sets {@code SSL_CERT_FILE}.
 */
public final class RpmCaTrust implements Step {
    static final String ETC_SOURCE = "etc/pki/ca-trust/source";
    static final String SHARE_SOURCE = "usr/share/pki/ca-trust-source";
    static final String EXTRACTED = "etc/pki/ca-trust/extracted";
    static final String TLS_BUNDLE = EXTRACTED + "/pem/tls-ca-bundle.pem";
    static final String JAVA_CACERTS = EXTRACTED + "/java/cacerts";
    static final String CA_BUNDLE = "etc/pki/tls/certs/ca-bundle.crt";
    private static final String EKU = "2.5.29.37";

    private enum Trust { UNKNOWN, ANCHOR, DISTRUST }

    /** One distinct certificate: how the sources label and trust it. */
    private static final class Cert {
        final X509 x509;
        final String label;
        final String category;
        boolean trusted;
        boolean distrusted;

        Cert(X509 x509, String label, String category) {
            this.x509 = x509;
            this.label = label;
            this.category = category;
        }
    }

    /** A certificate extracted for TLS, with its label. */
    record Anchor(String label, byte[] der) {}

    @Override
    public String name() {
        return "ca-trust";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        if (!Trees.isDirectory(tree, SHARE_SOURCE) && !Trees.isDirectory(tree, ETC_SOURCE)) return;
        List<Anchor> anchors = extract(tree, ctx);
        if (anchors.isEmpty()) {
            ctx.report().warn(name(), "no trusted server-auth CA certificate in the trust sources; /" + TLS_BUNDLE + " is not written");
            return;
        }
        StringBuilder pem = new StringBuilder();
        Map<String, byte[]> jks = new TreeMap<>();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (Anchor a : anchors) {
            if (!pem.isEmpty()) pem.append('\n');
            pem.append("# ").append(a.label().replaceAll("[\\r\\n]", " ")).append('\n')
                    .append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(a.der()))
                    .append("\n-----END CERTIFICATE-----\n");
            jks.put(JksWriter.unique(jks, javaAlias(a.label())), a.der());
        }
        Trees.write(tree, TLS_BUNDLE, pem.toString().getBytes(StandardCharsets.UTF_8), 0444, ctx.epoch(), name());
        Trees.write(tree, JAVA_CACERTS, JksWriter.trustStore(jks, ctx.epoch() * 1000), 0444, ctx.epoch(), name());

        String bundle = Trees.real(tree, TLS_BUNDLE, name());
        Optional<FileEntry> link = tree.resolveParent(CA_BUNDLE).flatMap(tree::get);
        if (link.isEmpty()) {
            Trees.symlink(tree, CA_BUNDLE, "/" + TLS_BUNDLE, ctx.epoch(), name());
        } else if (!tree.resolve(CA_BUNDLE).filter(bundle::equals).isPresent()) {
            ctx.report().warn(name(), "/" + CA_BUNDLE + " does not lead to /" + TLS_BUNDLE + "; SSL_CERT_FILE points at the bundle itself");
            ctx.report().env("SSL_CERT_FILE", "/" + TLS_BUNDLE);
            return;
        }
        ctx.report().env("SSL_CERT_FILE", "/" + CA_BUNDLE);
    }

    /** p11-kit's JKS alias: the label's printable ASCII characters, lower case. */
    static String javaAlias(String label) {
        StringBuilder sb = new StringBuilder();
        for (char c : label.toCharArray()) {
            if (c > 0x20 && c < 0x7f) sb.append(Character.toLowerCase(c));
        }
        return sb.isEmpty() ? "certificate" : sb.toString();
    }

    /** The trusted server-auth CA certificates of the tree's trust sources, in source order, each once. */
    List<Anchor> extract(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        Map<ByteBuffer, Cert> certs = new LinkedHashMap<>();
        Map<ByteBuffer, List<String>> stapledEku = new HashMap<>();
        for (String root : List.of(ETC_SOURCE, SHARE_SOURCE)) {
            for (String f : files(tree, root)) load(tree, f, Trust.UNKNOWN, certs, stapledEku, ctx);
            for (String f : files(tree, root + "/anchors")) load(tree, f, Trust.ANCHOR, certs, stapledEku, ctx);
            for (String f : files(tree, root + "/blocklist")) load(tree, f, Trust.DISTRUST, certs, stapledEku, ctx);
            for (String f : files(tree, root + "/blacklist")) load(tree, f, Trust.DISTRUST, certs, stapledEku, ctx);
        }
        List<Anchor> out = new ArrayList<>();
        for (Cert c : certs.values()) {
            if (!c.trusted || c.distrusted || !isAuthority(c)) continue;
            List<String> eku = stapledEku.get(ByteBuffer.wrap(c.x509.publicKeyInfo()));
            if (eku == null) eku = c.x509.extendedKeyUsage().orElse(null);
            if (eku != null && !eku.contains(X509.SERVER_AUTH)) continue;
            out.add(new Anchor(c.label, c.x509.der()));
        }
        return out;
    }

    private static boolean isAuthority(Cert c) {
        if (c.category == null || c.category.equals("unspecified") || c.category.equals("0")) return c.x509.isAuthority();
        return c.category.equals("authority") || c.category.equals("2");
    }

    /** Regular files (after symlinks) directly in {@code dir}, in byte order of their names. */
    private static List<String> files(FileTree tree, String dir) {
        if (!Trees.isDirectory(tree, dir)) return List.of();
        String real = tree.resolve(dir).orElseThrow();
        List<String> out = new ArrayList<>();
        for (FileEntry e : tree.under(real)) {
            String n = e.path().substring(real.length() + 1);
            if (n.indexOf('/') < 0 && e.type() != EntryType.DIRECTORY && Trees.file(tree, e.path()).isPresent()) out.add(e.path());
        }
        return out; // FileTree iterates in path order, which within one directory is name order
    }

    private void load(FileTree tree, String path, Trust dirTrust, Map<ByteBuffer, Cert> certs,
                      Map<ByteBuffer, List<String>> stapledEku, FinalizeContext ctx) throws FinalizeException {
        byte[] content = Trees.file(tree, path).orElseThrow().content();
        String base = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        if (P11Kit.looksLike(content)) {
            List<P11Kit.Obj> objs;
            try {
                objs = P11Kit.parse(content);
            } catch (IllegalArgumentException e) {
                throw new FinalizeException(name(), "/" + path + " is not a valid p11-kit trust file (" + e.getMessage()
                        + "); fix or remove the package that ships it");
            }
            for (P11Kit.Obj o : objs) loadObject(path, base, o, dirTrust, certs, stapledEku, ctx);
            return;
        }
        List<byte[]> ders = Pem.read(content).certificates();
        if (ders.isEmpty() && content.length > 0 && content[0] == 0x30) ders = List.of(content);
        if (ders.isEmpty()) {
            ctx.report().warn(name(), "/" + path + " holds no certificate; ignored");
            return;
        }
        for (byte[] der : ders) add(path, der, null, null, base, dirTrust == Trust.ANCHOR, dirTrust == Trust.DISTRUST, certs, ctx);
    }

    private void loadObject(String path, String base, P11Kit.Obj o, Trust dirTrust, Map<ByteBuffer, Cert> certs,
                            Map<ByteBuffer, List<String>> stapledEku, FinalizeContext ctx) {
        String cls = o.text("class");
        if ("x-certificate-extension".equals(cls)) {
            if (!EKU.equals(o.text("object-id")) || o.attrs().get("value") == null) return;
            byte[] spki = o.blocks().stream().filter(b -> b.type().equals("PUBLIC KEY")).map(P11Kit.Block::der).findFirst()
                    .orElse(o.attrs().get("public-key-info"));
            if (spki == null) return;
            try {
                stapledEku.putIfAbsent(ByteBuffer.wrap(spki), ekuOids(o.attrs().get("value")));
            } catch (IllegalArgumentException e) {
                ctx.report().warn(name(), "/" + path + " has an unreadable extended key usage extension (" + e.getMessage() + "); ignored");
            }
            return;
        }
        if (cls != null && !cls.equals("certificate")) return;
        byte[] der = o.blocks().stream().filter(b -> b.type().equals("CERTIFICATE")).map(P11Kit.Block::der).findFirst()
                .orElse(o.attrs().get("value"));
        if (der == null) return;
        boolean trusted = o.attrs().containsKey("trusted") ? o.isTrue("trusted") : dirTrust == Trust.ANCHOR;
        boolean distrusted = o.isTrue("x-distrusted") || dirTrust == Trust.DISTRUST;
        add(path, der, o.text("label"), o.text("certificate-category"), base, trusted, distrusted, certs, ctx);
    }

    private void add(String path, byte[] der, String label, String category, String base, boolean trusted, boolean distrusted,
                     Map<ByteBuffer, Cert> certs, FinalizeContext ctx) {
        X509 x;
        try {
            x = X509.parse(der);
        } catch (IllegalArgumentException e) {
            ctx.report().warn(name(), "/" + path + " has a certificate that cannot be read (" + e.getMessage() + "); ignored");
            return;
        }
        String l = label != null ? label : x.displayName().orElse(base);
        Cert c = certs.computeIfAbsent(ByteBuffer.wrap(x.der()), k -> new Cert(x, l, category));
        c.trusted |= trusted;
        c.distrusted |= distrusted;
    }

    /** The OIDs of an extended key usage Extension ({@code SEQUENCE { extnID, critical?, extnValue }}). */
    static List<String> ekuOids(byte[] extension) {
        List<Der.Tlv> parts = Der.children(Der.single(extension).value());
        if (parts.isEmpty() || parts.get(0).tag() != 0x06 || !Der.oid(parts.get(0).value()).equals(EKU)) {
            throw new IllegalArgumentException("not an extended key usage extension");
        }
        Der.Tlv octets = parts.get(parts.size() - 1);
        if (octets.tag() != 0x04) throw new IllegalArgumentException("extension value is not an OCTET STRING");
        List<String> out = new ArrayList<>();
        for (Der.Tlv t : Der.children(Der.single(octets.value()).value())) {
            if (t.tag() != 0x06) throw new IllegalArgumentException("key purpose is not an OBJECT IDENTIFIER");
            out.add(Der.oid(t.value()).toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
