package dev.kolibri.repo;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A set of trusted OpenPGP public keys: a binary keyring ({@code debian-archive-keyring.gpg}, several keys), an
 * ASCII-armored file, or a directory of such files ({@code /etc/apt/trusted.gpg.d}: {@code *.gpg} and {@code *.asc}).
 */
public final class Keyring {
    private final String source;
    private final List<PGPPublicKeyRing> rings;
    private final Map<Long, PGPPublicKeyRing> byKeyId;

    private Keyring(String source, List<PGPPublicKeyRing> rings) {
        this.source = source;
        this.rings = List.copyOf(rings);
        Map<Long, PGPPublicKeyRing> m = new LinkedHashMap<>();
        for (PGPPublicKeyRing r : this.rings) {
            for (PGPPublicKey k : r) m.putIfAbsent(k.getKeyID(), r);
        }
        this.byKeyId = Collections.unmodifiableMap(m);
    }

    /** Loads a keyring file (binary or armored) or a directory of {@code *.gpg} / {@code *.asc} files. */
    public static Keyring load(Path path) throws RepositoryException {
        if (Files.isDirectory(path)) {
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            List<Path> files;
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".gpg") || p.getFileName().toString().endsWith(".asc"))
                        .filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new RepositoryException("cannot read keyring directory " + path + ": " + e.getMessage(), e);
            }
            for (Path f : files) rings.addAll(read(f));
            if (rings.isEmpty()) throw new RepositoryException("no OpenPGP public keys in keyring directory " + path);
            return new Keyring(path.toString(), rings);
        }
        List<PGPPublicKeyRing> rings = read(path);
        if (rings.isEmpty()) throw new RepositoryException("no OpenPGP public keys in keyring " + path);
        return new Keyring(path.toString(), rings);
    }

    /** Keys from bytes (binary or armored); {@code sourceName} is used in messages. */
    public static Keyring of(byte[] data, String sourceName) throws RepositoryException {
        List<PGPPublicKeyRing> rings = parse(data, sourceName);
        if (rings.isEmpty()) throw new RepositoryException("no OpenPGP public keys in " + sourceName);
        return new Keyring(sourceName, rings);
    }

    /** All keys of several keyrings (apt's {@code Signed-By} with several files). */
    public static Keyring union(List<Keyring> keyrings) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Keyring k : keyrings) {
            rings.addAll(k.rings);
            names.add(k.source);
        }
        return new Keyring(String.join(", ", names), rings);
    }

    private static List<PGPPublicKeyRing> read(Path file) throws RepositoryException {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new RepositoryException("cannot read keyring " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<PGPPublicKeyRing> parse(byte[] data, String name) throws RepositoryException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            for (Object o; (o = f.nextObject()) != null; ) {
                if (o instanceof PGPPublicKeyRing r) rings.add(r);
                else {
                    throw new RepositoryException("keyring " + name + " holds something other than public keys ("
                            + o.getClass().getSimpleName() + "); export it with 'gpg --export'");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new RepositoryException("keyring " + name + " is not an OpenPGP keyring: " + e.getMessage(), e);
        }
        return rings;
    }

    /** Where the keys came from (file, directory or name). */
    public String source() {
        return source;
    }

    /** The key rings (one per certificate), in file order. */
    public List<PGPPublicKeyRing> rings() {
        return rings;
    }

    public int size() {
        return rings.size();
    }

    /** Upper-case hex fingerprints of the primary keys, in file order. */
    public List<String> fingerprints() {
        return rings.stream().map(r -> fingerprint(r.getPublicKey())).toList();
    }

    /** The certificate holding the (primary or sub) key with this id, or null. */
    PGPPublicKeyRing ringOf(long keyId) {
        return byKeyId.get(keyId);
    }

    static String fingerprint(PGPPublicKey k) {
        return HexFormat.of().withUpperCase().formatHex(k.getFingerprint());
    }

    @Override
    public String toString() {
        return "keyring " + source + " (" + rings.size() + " keys)";
    }
}
