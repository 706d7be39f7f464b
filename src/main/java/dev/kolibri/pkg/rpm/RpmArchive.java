package dev.kolibri.pkg.rpm;

import dev.kolibri.fs.PayloadEntry;
import dev.kolibri.fs.UnpackLimit;
import dev.kolibri.fs.PayloadSource;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A binary RPM package: a 96-byte lead ({@code ed ab ee db}), the signature header (padded to 8 bytes), the main
 * header and the compressed cpio payload. {@link #open} reads both headers, and checks the main header against the
 * signature's SHA256HEADER (or SHA1HEADER) and the payload against the main header's PAYLOADDIGEST (or, for
 * packages older than rpm 4.14, the signature's MD5 over header and payload). {@link #payload} streams the payload
 * from the file on each call, with file metadata taken from the header, and checks the payload digest again.
 * Everything that cannot be read or does not verify is an {@link RpmArchiveException} naming the file and package.
 */
public final class RpmArchive {
    /** Default bound on the unpacked payload size: 4 GiB. */
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 4L << 30;
    static final int LEAD_SIZE = 96;
    private static final String REFETCH = "the download is corrupt or was tampered with: delete it from the cache and fetch it again";

    private final Path file;
    private final long maxUnpackedBytes;
    private final RpmHeader signature;
    private final RpmHeader header;
    private final long payloadOffset;
    private final String payloadDigestAlgo;
    private final String payloadDigest;   // hex, or null when only the legacy MD5 covers the payload
    private final List<RpmFile> files;

    private RpmArchive(Path file, long maxUnpackedBytes, RpmHeader signature, RpmHeader header, long payloadOffset,
                       String payloadDigestAlgo, String payloadDigest, List<RpmFile> files) {
        this.file = file;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.signature = signature;
        this.header = header;
        this.payloadOffset = payloadOffset;
        this.payloadDigestAlgo = payloadDigestAlgo;
        this.payloadDigest = payloadDigest;
        this.files = List.copyOf(files);
    }

    public static RpmArchive open(Path rpmFile) {
        return open(rpmFile, DEFAULT_MAX_UNPACKED_BYTES);
    }

    /** Opens an .rpm whose payload may unpack to at most {@code maxUnpackedBytes} (a decompression-bomb guard). */
    public static RpmArchive open(Path rpmFile, long maxUnpackedBytes) {
        if (maxUnpackedBytes <= 0) throw new IllegalArgumentException("maxUnpackedBytes must be positive");
        String what = rpmFile.toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(rpmFile), 1 << 16)) {
            byte[] lead = raw.readNBytes(LEAD_SIZE);
            if (lead.length < 4 || (lead[0] & 0xff) != 0xed || (lead[1] & 0xff) != 0xab || (lead[2] & 0xff) != 0xee
                    || (lead[3] & 0xff) != 0xdb) {
                throw new RpmArchiveException(what + ": not an RPM package (lead magic " + RpmHeader.hex(lead, 0, 4)
                        + ", expected edabeedb)");
            }
            if (lead.length < LEAD_SIZE) throw new RpmArchiveException(what + ": file ends inside the lead (truncated download?)");
            int sigType = ((lead[78] & 0xff) << 8) | (lead[79] & 0xff);
            if (sigType != 5) throw new RpmArchiveException(what + ": lead signature type " + sigType + " is not 5 (header-style signature): too old an RPM format");
            RpmHeader sig = RpmHeader.read(raw, what + " (signature header)");
            int pad = (8 - sig.sizeWithMagic() % 8) % 8;
            if (raw.readNBytes(pad).length != pad) throw new RpmArchiveException(what + ": file ends after the signature header (truncated download?)");
            RpmHeader hdr = RpmHeader.read(raw, what + " (main header)");
            String name = hdr.string(RpmTags.NAME).orElse("");
            String label = what + " (package " + nevra(hdr) + ")";
            if (name.isEmpty() || hdr.string(RpmTags.VERSION).isEmpty() || hdr.string(RpmTags.RELEASE).isEmpty()) {
                throw new RpmArchiveException(label + ": main header lacks NAME, VERSION or RELEASE");
            }
            verifyHeaderDigest(sig, hdr, label);
            long payloadOffset = LEAD_SIZE + sig.sizeWithMagic() + pad + hdr.sizeWithMagic();

            String algo = null, expected = null;
            if (hdr.has(RpmTags.PAYLOADDIGEST)) {
                long algoNo = hdr.number(RpmTags.PAYLOADDIGESTALGO).orElse(RpmTags.HASH_SHA256);
                algo = RpmTags.digestName(algoNo);
                if (algo == null) throw new RpmArchiveException(label + ": unknown payload digest algorithm " + algoNo);
                expected = hdr.string(RpmTags.PAYLOADDIGEST).orElse("");
            } else if (!sig.has(RpmTags.SIG_MD5)) {
                throw new RpmArchiveException(label + ": carries no payload digest (PAYLOADDIGEST or MD5): cannot verify it");
            }
            MessageDigest payloadMd = algo == null ? null : digest(algo);
            MessageDigest md5 = digest("MD5");
            md5.update(hdr.withMagic());
            long payloadLength = 0;
            byte[] buf = new byte[1 << 16];
            for (int n; (n = raw.read(buf)) > 0; ) {
                if (payloadMd != null) payloadMd.update(buf, 0, n);
                md5.update(buf, 0, n);
                payloadLength += n;
            }
            if (payloadMd != null) {
                String actual = HexFormat.of().formatHex(payloadMd.digest());
                if (!actual.equalsIgnoreCase(expected)) {
                    throw new RpmArchiveException(label + ": payload digest mismatch (header says " + algo + " " + expected
                            + ", payload has " + actual + "): " + REFETCH);
                }
            } else {
                byte[] want = sig.bytes(RpmTags.SIG_MD5);
                if (!MessageDigest.isEqual(want, md5.digest())) {
                    throw new RpmArchiveException(label + ": MD5 of header and payload does not match the signature header: " + REFETCH);
                }
            }
            OptionalLong declared = sig.has(RpmTags.SIG_LONGSIZE) ? sig.number(RpmTags.SIG_LONGSIZE) : sig.number(RpmTags.SIG_SIZE);
            if (declared.isPresent() && declared.getAsLong() != hdr.sizeWithMagic() + payloadLength) {
                throw new RpmArchiveException(label + ": header and payload are " + (hdr.sizeWithMagic() + payloadLength)
                        + " bytes, the signature header says " + declared.getAsLong() + ": " + REFETCH);
            }
            List<RpmFile> files = FileTable.of(hdr, label);
            return new RpmArchive(rpmFile, maxUnpackedBytes, sig, hdr, payloadOffset, algo, expected, files);
        } catch (NoSuchFileException e) {
            throw new RpmArchiveException(what + ": no such file");
        } catch (IOException e) {
            throw new RpmArchiveException(what + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void verifyHeaderDigest(RpmHeader sig, RpmHeader hdr, String label) {
        String algo;
        String want;
        if (sig.has(RpmTags.SIG_SHA256)) {
            algo = "SHA-256";
            want = sig.string(RpmTags.SIG_SHA256).orElse("");
        } else if (sig.has(RpmTags.SIG_SHA1)) {
            algo = "SHA-1";
            want = sig.string(RpmTags.SIG_SHA1).orElse("");
        } else {
            throw new RpmArchiveException(label + ": signature header has no header digest (SHA256HEADER or SHA1HEADER): cannot verify it");
        }
        String actual = HexFormat.of().formatHex(digest(algo).digest(hdr.withMagic()));
        if (!actual.equalsIgnoreCase(want)) {
            throw new RpmArchiveException(label + ": main header digest mismatch (signature says " + algo + " " + want
                    + ", header has " + actual + "): " + REFETCH);
        }
    }

    static MessageDigest digest(String algo) {
        try {
            return MessageDigest.getInstance(algo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algo + " is missing from this JDK", e);
        }
    }

    private static String nevra(RpmHeader h) {
        String e = h.number(RpmTags.EPOCH).isPresent() ? h.number(RpmTags.EPOCH).getAsLong() + ":" : "";
        return h.string(RpmTags.NAME).orElse("?") + "-" + e + h.string(RpmTags.VERSION).orElse("?") + "-"
                + h.string(RpmTags.RELEASE).orElse("?") + "." + h.string(RpmTags.ARCH).orElse("?");
    }

    // ---- metadata

    public Path file() {
        return file;
    }

    public RpmHeader header() {
        return header;
    }

    public RpmHeader signature() {
        return signature;
    }

    /** The main header in rpmdb form (entry count, data length, index, data; no magic), immutable region included. */
    public byte[] headerBlob() {
        return header.blob();
    }

    public String name() {
        return header.string(RpmTags.NAME).orElseThrow();
    }

    /** The EPOCH tag; empty when the package has none (rpm treats that as 0 when comparing). */
    public OptionalLong epoch() {
        return header.number(RpmTags.EPOCH);
    }

    public String version() {
        return header.string(RpmTags.VERSION).orElseThrow();
    }

    public String release() {
        return header.string(RpmTags.RELEASE).orElseThrow();
    }

    public String arch() {
        return header.string(RpmTags.ARCH).orElse("");
    }

    /** {@code [epoch:]version-release}, the form {@link RpmVersions} compares. */
    public String evr() {
        return (epoch().isPresent() ? epoch().getAsLong() + ":" : "") + version() + "-" + release();
    }

    /** {@code name-[epoch:]version-release.arch}. */
    public String nevra() {
        return nevra(header);
    }

    /** SOURCERPM; empty for a source package. */
    public Optional<String> sourceRpm() {
        return header.string(RpmTags.SOURCERPM);
    }

    public String license() {
        return header.string(RpmTags.LICENSE).orElse("");
    }

    /** BUILDTIME, seconds since the epoch (0 when absent). */
    public long buildTime() {
        return header.number(RpmTags.BUILDTIME).orElse(0);
    }

    public String packager() {
        return header.string(RpmTags.PACKAGER).orElse("");
    }

    public String vendor() {
        return header.string(RpmTags.VENDOR).orElse("");
    }

    public String url() {
        return header.string(RpmTags.URL).orElse("");
    }

    public String summary() {
        return header.string(RpmTags.SUMMARY).orElse("");
    }

    /** PAYLOADCOMPRESSOR ({@code gzip} when absent, as rpm assumes). */
    public String payloadCompressor() {
        return header.string(RpmTags.PAYLOADCOMPRESSOR).orElse("gzip");
    }

    /** The header's file list, in header order (ghosts included). */
    public List<RpmFile> files() {
        return files;
    }

    // ---- payload

    /** The payload with owner names mapped to ids by a root-only mapping: every name becomes 0. */
    public PayloadSource payload() {
        return payload(n -> 0, n -> 0);
    }

    /**
     * The payload as {@link PayloadEntry}s with metadata from the header. Owner and group names are mapped to ids by
     * {@code uidOf} / {@code gidOf} (the image's passwd and group); a name they do not know (null) becomes 0, as
     * rpm does ("user X does not exist - using root"). {@code %ghost} files are not in the payload and are not
     * produced. Hardlink sets give the member that carries the content as a FILE first, then the others as
     * HARDLINKs to it.
     */
    public PayloadSource payload(Function<String, Integer> uidOf, Function<String, Integer> gidOf) {
        long packed;
        try {
            packed = Files.size(file);
        } catch (IOException e) {
            throw new RpmArchiveException(label() + ": cannot read: " + e.getMessage(), e);
        }
        dev.kolibri.fs.Limits limits = dev.kolibri.fs.Limits.DEFAULT.withPackage(maxUnpackedBytes);
        return payload(dev.kolibri.fs.Unpacking.inMemory(limits).sink("package '" + nevra() + "'", packed), uidOf, gidOf);
    }

    /** Like {@link #payload(Function, Function)}, each regular file's content going to {@code contents} as it streams. */
    public PayloadSource payload(dev.kolibri.fs.ContentSink contents, Function<String, Integer> uidOf,
                                 Function<String, Integer> gidOf) {
        return sink -> {
            try {
                streamPayload(contents, sink, uidOf, gidOf);
            } catch (IOException e) {
                throw new RpmArchiveException(label() + ": cannot read the payload: " + e.getMessage(), e);
            }
        };
    }

    private String label() {
        return file + " (package " + nevra() + ")";
    }

    private void streamPayload(dev.kolibri.fs.ContentSink contents, Consumer<? super PayloadEntry> sink,
                               Function<String, Integer> uidOf, Function<String, Integer> gidOf) throws IOException {
        String label = label();
        MessageDigest md = payloadDigestAlgo == null ? null : digest(payloadDigestAlgo);
        try (InputStream raw = Files.newInputStream(file)) {
            raw.skipNBytes(payloadOffset);
            // the digest sits below the buffer: decompressors that mark/reset must not make it count bytes twice
            InputStream hashed = new BufferedInputStream(md == null ? raw : new DigestInputStream(raw, md), 1 << 16);
            String who = "package '" + nevra() + "'";
            String[] current = {"(the payload's first header)"};
            InputStream plain = new UnpackLimit(decompressor(hashed, label), maxUnpackedBytes, max ->
                    new dev.kolibri.fs.LimitExceededException(who + ": the payload passes " + dev.kolibri.fs.Limits.exact(max)
                            + " unpacked at member '" + current[0] + "', more than the limit of "
                            + dev.kolibri.fs.Limits.exact(max) + " per package (limits.package); "
                            + "refusing it: raise limits.package in the definition only for a package you trust",
                            "limits.package"), n -> contents.checkStream(current[0], n));
            PayloadWalker walker = new PayloadWalker(files, label, maxUnpackedBytes, uidOf, gidOf, sink);
            walker.contents = contents;
            walker.current = current;
            walker.walk(new CpioReader(plain, label));
            if (md != null) {
                hashed.transferTo(java.io.OutputStream.nullOutputStream());
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equalsIgnoreCase(payloadDigest)) {
                    throw new RpmArchiveException(label + ": payload digest mismatch (file changed since it was opened; header says "
                            + payloadDigest + ", payload has " + actual + "): " + REFETCH);
                }
            }
        } catch (java.io.EOFException e) {
            throw new RpmArchiveException(label + ": file ends inside the payload: " + REFETCH, e);
        } catch (UncheckedIOException e) {
            throw new RpmArchiveException(label + ": cannot read the payload: " + e.getCause().getMessage(), e);
        }
    }

    private InputStream decompressor(InputStream in, String label) throws IOException {
        String c = payloadCompressor();
        try {
            return switch (c) {
                case "gzip" -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
                case "bzip2" -> new BZip2CompressorInputStream(in, true);
                case "xz" -> new XZInputStream(in);
                case "lzma" -> new LZMAInputStream(in);
                case "zstd" -> new com.github.luben.zstd.ZstdInputStream(in);
                default -> throw new RpmArchiveException(label + ": unsupported payload compressor '" + c
                        + "' (known: gzip, bzip2, xz, lzma, zstd)");
            };
        } catch (IOException e) {
            throw new RpmArchiveException(label + ": payload is not valid " + c + " data: " + e.getMessage() + ": " + REFETCH, e);
        }
    }

    /** Walks the cpio members, joins them to the header's file table, and emits PayloadEntries. */
    static final class PayloadWalker {
        private final List<RpmFile> files;
        private final String label;
        private final long max;
        private final Function<String, Integer> uidOf;
        private final Function<String, Integer> gidOf;
        private final Consumer<? super PayloadEntry> sink;
        private final Map<String, Integer> index = new HashMap<>();
        private final boolean[] seen;
        private dev.kolibri.fs.ContentSink contents = dev.kolibri.fs.ContentSink.memory();
        private String[] current = {""};
        private final Map<Long, Integer> setSize = new HashMap<>();
        private final Map<Long, String> holder = new HashMap<>();
        private final Map<Long, List<Integer>> pending = new LinkedHashMap<>();

        PayloadWalker(List<RpmFile> files, String label, long max, Function<String, Integer> uidOf,
                      Function<String, Integer> gidOf, Consumer<? super PayloadEntry> sink) {
            this.files = files;
            this.label = label;
            this.max = max;
            this.uidOf = uidOf;
            this.gidOf = gidOf;
            this.sink = sink;
            this.seen = new boolean[files.size()];
            for (int i = 0; i < files.size(); i++) {
                RpmFile f = files.get(i);
                index.putIfAbsent(f.path(), i);
                if (f.isRegular() && !f.isGhost()) setSize.merge(linkKey(f), 1, Integer::sum);
            }
        }

        private static long linkKey(RpmFile f) {
            return (f.device() << 32) ^ f.inode();
        }

        void walk(CpioReader cpio) throws IOException {
            while (true) {
                CpioReader.Member m = cpio.next();
                if (m.trailer()) break;
                int i;
                String path;
                long size;
                if (m.name() == null) {
                    i = m.fileIndex();
                    if (i >= files.size()) throw bad("stripped cpio member names file " + i + ", the header lists " + files.size());
                    path = "." + files.get(i).path();
                    size = files.get(i).isRegular() ? files.get(i).size() : files.get(i).isSymlink() ? files.get(i).linkTo().length() : 0;
                } else {
                    path = m.name();
                    String key = path.startsWith("./") ? path.substring(1) : path.startsWith("/") ? path : "/" + path;
                    Integer found = index.get(key);
                    if (found == null) throw bad("payload member '" + path + "' is not in the header's file list");
                    i = found;
                    size = m.size();
                    RpmFile f = files.get(i);
                    if ((m.mode() & RpmFile.S_IFMT) != (f.mode() & RpmFile.S_IFMT)) {
                        throw bad("payload member '" + path + "' has file type " + Integer.toOctalString(m.mode() & RpmFile.S_IFMT)
                                + ", the header says " + Integer.toOctalString(f.mode() & RpmFile.S_IFMT));
                    }
                }
                if (seen[i]) throw bad("payload member '" + path + "' appears twice");
                seen[i] = true;
                RpmFile f = files.get(i);
                if (f.isRegular()) {
                    regular(cpio, i, f, path, size);
                } else {
                    cpio.skipData(size);
                    sink.accept(entryOf(f, path));
                }
            }
            for (Map.Entry<Long, List<Integer>> e : pending.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    throw bad("hardlink set of '" + files.get(e.getValue().get(0)).path() + "' has no member carrying its content");
                }
            }
            for (int i = 0; i < files.size(); i++) {
                if (!seen[i] && !files.get(i).isGhost()) {
                    throw bad("'" + files.get(i).path() + "' is in the header but missing from the payload");
                }
            }
        }

        private void regular(CpioReader cpio, int i, RpmFile f, String path, long size) throws IOException {
            long key = linkKey(f);
            int links = setSize.getOrDefault(key, 1);
            if (links <= 1) {
                sink.accept(fileEntry(f, path, content(cpio, f, path, size)));
                return;
            }
            String h = holder.get(key);
            if (h != null) {
                cpio.skipData(size);
                sink.accept(link(f, path, h));
                return;
            }
            if (size == 0 && f.size() != 0) {   // rpm puts the content on the last link of a set
                cpio.skipData(0);
                pending.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                return;
            }
            sink.accept(fileEntry(f, path, content(cpio, f, path, size)));
            holder.put(key, path);
            List<Integer> waiting = pending.remove(key);
            if (waiting != null) for (int w : waiting) sink.accept(link(files.get(w), "." + files.get(w).path(), path));
        }

        private dev.kolibri.fs.Content content(CpioReader cpio, RpmFile f, String path, long size) throws IOException {
            if (size != f.size()) {
                throw bad("payload member '" + path + "' has " + size + " bytes, the header says " + f.size());
            }
            if (size > max) throw bad("member '" + path + "' of " + size + " bytes exceeds the bound of " + max + " bytes");
            current[0] = path;
            return cpio.takeData(path, size, contents);
        }

        private PayloadEntry fileEntry(RpmFile f, String path, dev.kolibri.fs.Content content) {
            return new PayloadEntry(path, PayloadEntry.Kind.FILE, f.permissions(), uid(f), gid(f), f.user(), f.group(),
                    f.mtime(), null, content);
        }

        private PayloadEntry link(RpmFile f, String path, String target) {
            return new PayloadEntry(path, PayloadEntry.Kind.HARDLINK, f.permissions(), uid(f), gid(f), f.user(),
                    f.group(), f.mtime(), target, null);
        }

        private PayloadEntry entryOf(RpmFile f, String path) {
            int type = f.mode() & RpmFile.S_IFMT;
            PayloadEntry.Kind kind = switch (type) {
                case RpmFile.S_IFDIR -> PayloadEntry.Kind.DIRECTORY;
                case RpmFile.S_IFLNK -> PayloadEntry.Kind.SYMLINK;
                case 0020000 -> PayloadEntry.Kind.CHAR_DEVICE;
                case 0060000 -> PayloadEntry.Kind.BLOCK_DEVICE;
                case 0010000 -> PayloadEntry.Kind.FIFO;
                default -> PayloadEntry.Kind.OTHER;
            };
            return new PayloadEntry(path, kind, f.permissions(), uid(f), gid(f), f.user(), f.group(), f.mtime(),
                    kind == PayloadEntry.Kind.SYMLINK ? f.linkTo() : null, null);
        }

        private int uid(RpmFile f) {
            Integer id = uidOf.apply(f.user());
            return id == null ? 0 : id;
        }

        private int gid(RpmFile f) {
            Integer id = gidOf.apply(f.group());
            return id == null ? 0 : id;
        }

        private RpmArchiveException bad(String msg) {
            return new RpmArchiveException(label + ": " + msg + ": " + REFETCH);
        }
    }
}
