package dev.kolibri.pkg.deb;

import dev.kolibri.fs.MemberNames;
import dev.kolibri.fs.Content;
import dev.kolibri.fs.ContentSink;
import dev.kolibri.fs.Limits;
import dev.kolibri.fs.PayloadEntry;
import dev.kolibri.fs.UnpackLimit;
import dev.kolibri.fs.PayloadSource;
import dev.kolibri.fs.Unpacking;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Debian binary package ({@code .deb}): an ar archive of {@code debian-binary} ({@code 2.0}),
 * {@code control.tar[.gz|.xz|.zst]} and {@code data.tar[.gz|.xz|.zst|.bz2|.lzma]}. {@link #open} reads and checks
 * the ar layout and the control member (small, kept in memory); {@link #forEachPayloadEntry} streams data.tar
 * from the file each time it is called, one member in memory at a time. Everything it cannot read is a
 * {@link DebArchiveException} naming the file.
 */
public final class DebArchive {
    /** Default bound on the unpacked size of data.tar: 4 GiB. */
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 4L << 30;
    private static final long MAX_CONTROL_BYTES = 64L << 20;
    private static final long MAX_ID = 0xffff_ffffL;
    private static final List<String> SCRIPTS = List.of("preinst", "postinst", "prerm", "postrm", "config");
    private static final String REFETCH = "the download is corrupt or incomplete: delete it from the cache and fetch it again";

    private final Path file;
    private final long maxUnpackedBytes;
    private final String dataMember;
    private final ControlFields control;
    private final String md5sums;
    private final String conffiles;
    private final List<String> maintainerScripts;
    private final byte[] controlTar;

    private DebArchive(Path file, long maxUnpackedBytes, String dataMember, ControlFields control, String md5sums,
                       String conffiles, List<String> maintainerScripts, byte[] controlTar) {
        this.controlTar = controlTar;
        this.file = file;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.dataMember = dataMember;
        this.control = control;
        this.md5sums = md5sums;
        this.conffiles = conffiles;
        this.maintainerScripts = List.copyOf(maintainerScripts);
    }

    public static DebArchive open(Path debFile) {
        return open(debFile, DEFAULT_MAX_UNPACKED_BYTES);
    }

    /** Opens a .deb whose data.tar may unpack to at most {@code maxUnpackedBytes} (a decompression-bomb guard). */
    public static DebArchive open(Path debFile, long maxUnpackedBytes) {
        if (maxUnpackedBytes <= 0) throw new IllegalArgumentException("maxUnpackedBytes must be positive");
        long fileSize;
        try {
            fileSize = Files.size(debFile);
        } catch (NoSuchFileException e) {
            throw new DebArchiveException(debFile + ": no such file");
        } catch (IOException e) {
            throw new DebArchiveException(debFile + ": cannot read: " + e.getMessage(), e);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(debFile))) {
            raw.mark(8);
            byte[] magic = raw.readNBytes(8);
            raw.reset();
            if (!ArArchiveInputStream.matches(magic, magic.length)) {
                throw new DebArchiveException(debFile + ": not a Debian package (no ar archive header); " + REFETCH);
            }
            ArArchiveInputStream ar = new ArArchiveInputStream(raw);
            long end = 8;
            boolean first = true;
            String data = null;
            ControlFields control = null;
            byte[] controlTar = null;
            String md5sums = null;
            String conffiles = null;
            List<String> scripts = new ArrayList<>();
            ArArchiveEntry m;
            while ((m = ar.getNextEntry()) != null) {
                String name = m.getName();
                end += 60 + m.getLength() + (m.getLength() & 1);
                if (first) {
                    if (!name.equals("debian-binary")) throw new DebArchiveException(debFile
                            + ": first member is '" + name + "', not 'debian-binary': not a Debian package; " + REFETCH);
                    String v = new String(readMember(debFile, ar, m, 64), StandardCharsets.US_ASCII).strip();
                    if (!v.equals("2.0")) throw new DebArchiveException(debFile + ": unsupported package format '"
                            + v + "' (only 2.0 is read)");
                    first = false;
                } else if (name.startsWith("control.tar")) {
                    if (control != null) throw new DebArchiveException(debFile + ": two control members; " + REFETCH);
                    byte[] bytes = readMember(debFile, ar, m, MAX_CONTROL_BYTES);
                    controlTar = inflateControl(debFile, name, bytes);
                    Control c = readControl(debFile, name, controlTar);
                    control = c.fields;
                    md5sums = c.md5sums;
                    conffiles = c.conffiles;
                    scripts = c.scripts;
                } else if (name.startsWith("data.tar")) {
                    if (data != null) throw new DebArchiveException(debFile + ": two data members; " + REFETCH);
                    compression(debFile, name); // refuse an unknown one now
                    data = name;
                }
                // other members (e.g. _gpgbuilder signatures) are ignored, as dpkg does
            }
            if (first) throw new DebArchiveException(debFile + ": empty ar archive, not a Debian package; " + REFETCH);
            if (end > fileSize) throw new DebArchiveException(debFile + ": truncated (members need " + end
                    + " bytes, the file has " + fileSize + "); " + REFETCH);
            if (control == null) throw new DebArchiveException(debFile + ": no control.tar member; " + REFETCH);
            if (data == null) throw new DebArchiveException(debFile + ": no data.tar member; " + REFETCH);
            return new DebArchive(debFile, maxUnpackedBytes, data, control, md5sums, conffiles, scripts, controlTar);
        } catch (IOException e) {
            throw new DebArchiveException(debFile + ": cannot read the ar archive (" + e.getMessage() + "); " + REFETCH, e);
        }
    }

    /**
     * The archive as {@link #open} read it, from what {@link #controlTar()} and {@link #dataMember()} returned then
     * (kept by a build cache), without reading {@code debFile}'s control member again. The control tar is checked
     * as in {@link #open}; the payload, when read, comes from {@code debFile}.
     */
    public static DebArchive withControl(Path debFile, String dataMember, byte[] controlTar) {
        if (!dataMember.startsWith("data.tar")) throw new IllegalArgumentException("not a data member: " + dataMember);
        compression(debFile, dataMember);
        try {
            Control c = readControl(debFile, "control.tar", controlTar);
            return new DebArchive(debFile, DEFAULT_MAX_UNPACKED_BYTES, dataMember, c.fields, c.md5sums, c.conffiles,
                    c.scripts, controlTar.clone());
        } catch (IOException e) {
            throw new DebArchiveException(debFile + ": cannot read the control tar (" + e.getMessage() + "); " + REFETCH, e);
        }
    }

    /** The control member, decompressed: a tar holding {@code control}, {@code md5sums}, scripts, .... */
    public byte[] controlTar() {
        return controlTar.clone();
    }

    public Path file() {
        return file;
    }

    /** Fields of {@code DEBIAN/control}, in file order (unmodifiable). */
    public Map<String, String> control() {
        return control.fields();
    }

    /** A control field by name, ignoring case. */
    public Optional<String> field(String name) {
        return control.get(name);
    }

    /** The {@code Package} field. */
    public String name() {
        return control.get("Package").orElseThrow(() -> new DebArchiveException(file
                + ": control file has no Package field; the package is malformed"));
    }

    /** The {@code md5sums} control member, verbatim. */
    public Optional<String> md5sums() {
        return Optional.ofNullable(md5sums);
    }

    /** The {@code conffiles} control member, verbatim. */
    public Optional<String> conffiles() {
        return Optional.ofNullable(conffiles);
    }

    /** Names of the maintainer scripts present (preinst, postinst, prerm, postrm, config), for reporting: none run. */
    public List<String> maintainerScripts() {
        return maintainerScripts;
    }

    /** The data member's name, e.g. {@code data.tar.xz}. */
    public String dataMember() {
        return dataMember;
    }

    /** This package's payload as an installer source. */
    public PayloadSource payload() {
        return this::forEachPayloadEntry;
    }

    /** This package's payload as an installer source, contents kept by {@code contents}. */
    public PayloadSource payload(ContentSink contents) {
        return sink -> forEachPayloadEntry(contents, sink);
    }

    /** The package as people name it in messages: {@code package 'bash' 5.2-1 (amd64)}. */
    public String label() {
        String version = control.get("Version").orElse("");
        String arch = control.get("Architecture").orElse("");
        return "package '" + name() + "'" + (version.isEmpty() ? "" : " " + version) + (arch.isEmpty() ? "" : " (" + arch + ")");
    }

    /**
     * Streams the members of data.tar in archive order, contents in memory within the default {@link Limits} (and
     * this archive's unpacked-size bound). Builds use {@link #forEachPayloadEntry(ContentSink, Consumer)}.
     */
    public void forEachPayloadEntry(Consumer<? super PayloadEntry> sink) {
        long packed;
        try {
            packed = Files.size(file);
        } catch (IOException e) {
            throw new DebArchiveException(file + ": cannot read: " + e.getMessage(), e);
        }
        Limits limits = Limits.DEFAULT.withPackage(maxUnpackedBytes);
        forEachPayloadEntry(Unpacking.inMemory(limits).sink(label(), packed), sink);
    }

    /**
     * Streams the members of data.tar in archive order; each regular file's content goes to {@code contents} as it
     * is read (which checks the limits and keeps it in memory or on disk), so no member is held whole here.
     */
    public void forEachPayloadEntry(ContentSink contents, Consumer<? super PayloadEntry> sink) {
        String what = file + " (" + dataMember + ")";
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            ArArchiveInputStream ar = new ArArchiveInputStream(raw);
            ArArchiveEntry m;
            while ((m = ar.getNextEntry()) != null && !m.getName().equals(dataMember)) {
                // skip to the data member
            }
            if (m == null) throw new DebArchiveException(what + ": data member vanished; " + REFETCH);
            InputStream member = new BufferedInputStream(new Exact(ar, m.getLength(), what), 65536);
            String[] current = {"(the archive's first header)"};
            // names decoded so that bytes that are not UTF-8 stay visible (and are refused), never turned into '?'
            String label = label();
            InputStream plain = new UnpackLimit(decompressor(file, dataMember, member), maxUnpackedBytes,
                    max -> tooBig(label, current[0], max), n -> contents.checkStream(current[0], n));
            TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(plain, 65536), MemberNames.CHARSET);
            TarArchiveEntry t;
            while ((t = tar.getNextEntry()) != null) {
                current[0] = t.getName();
                sink.accept(toPayload(tar, t, what, name(), contents));
            }
        } catch (IOException e) {
            throw new DebArchiveException(what + ": cannot read the payload (" + e.getMessage() + "); " + REFETCH, e);
        }
    }

    private static PayloadEntry toPayload(TarArchiveInputStream tar, TarArchiveEntry t, String what, String pkg,
                                          ContentSink contents) throws IOException {
        String problem = MemberNames.problem(t.getName());
        if (problem == null && (t.isSymbolicLink() || t.isLink())) {
            problem = MemberNames.problem(t.getLinkName());
            if (problem != null) problem = "its link target '" + MemberNames.printable(t.getLinkName()) + "': " + problem;
        }
        // commons-compress reads the ustar/GNU uid and gid fields through an int (4294967294 comes back as -2, and
        // more than 32 bits cannot be seen there); PAX uid/gid records come as they are and may exceed 32 bits.
        if (problem == null && (!isId(t.getLongUserId()) || !isId(t.getLongGroupId()))) {
            problem = "its owner " + t.getLongUserId() + ":" + t.getLongGroupId() + " is not a 32-bit uid:gid";
        }
        if (problem != null) {
            throw new DebArchiveException("package '" + pkg + "' (" + what + "): member '"
                    + MemberNames.printable(t.getName()) + "' refused: " + problem
                    + "; the package cannot be installed as it is: leave it out or ask its maintainer to fix it");
        }
        PayloadEntry.Kind kind;
        if (t.isSymbolicLink()) kind = PayloadEntry.Kind.SYMLINK;
        else if (t.isLink()) kind = PayloadEntry.Kind.HARDLINK;
        else if (t.isDirectory()) kind = PayloadEntry.Kind.DIRECTORY;
        else if (t.isCharacterDevice()) kind = PayloadEntry.Kind.CHAR_DEVICE;
        else if (t.isBlockDevice()) kind = PayloadEntry.Kind.BLOCK_DEVICE;
        else if (t.isFIFO()) kind = PayloadEntry.Kind.FIFO;
        else if (t.isFile() && !t.isSparse()) kind = PayloadEntry.Kind.FILE;
        else kind = PayloadEntry.Kind.OTHER;
        Content content = null;
        if (kind == PayloadEntry.Kind.FILE) {
            long size = t.getSize();
            try {
                content = contents.take(t.getName(), size, tar);
            } catch (java.io.EOFException e) {
                throw new DebArchiveException(what + ": member '" + t.getName() + "' is truncated; " + REFETCH, e);
            }
        }
        String link = kind == PayloadEntry.Kind.SYMLINK || kind == PayloadEntry.Kind.HARDLINK ? t.getLinkName() : null;
        long mtime = t.getLastModifiedTime() == null ? 0 : t.getLastModifiedTime().to(TimeUnit.SECONDS);
        // ids up to 2^32-1 are kept in an int's 32 bits (4294967294 as -2); writers treat them as unsigned
        return new PayloadEntry(t.getName(), kind, t.getMode(), (int) t.getLongUserId(), (int) t.getLongGroupId(),
                t.getUserName(), t.getGroupName(), mtime, link, content);
    }

    /** A uid or gid in 32 bits: 0 to 2^32-1, or the negative int the tar library turns 2^31 and above into. */
    private static boolean isId(long v) {
        return v >= Integer.MIN_VALUE && v <= MAX_ID;
    }

    private record Control(ControlFields fields, String md5sums, String conffiles, List<String> scripts) {}

    /** The control member decompressed (a tar), at most {@value #MAX_CONTROL_BYTES} bytes. */
    private static byte[] inflateControl(Path deb, String name, byte[] bytes) throws IOException {
        String what = deb + " (" + name + ")";
        try (InputStream in = new UnpackLimit(decompressor(deb, name, new java.io.ByteArrayInputStream(bytes)),
                MAX_CONTROL_BYTES, max -> new DebArchiveException(what + ": the control member unpacks to more than "
                        + Limits.exact(max) + ", the limit for package metadata; the package is malformed or hostile"))) {
            return in.readAllBytes();
        }
    }

    /** Reads the uncompressed control tar {@code tarBytes} of member {@code name}. */
    private static Control readControl(Path deb, String name, byte[] tarBytes) throws IOException {
        String what = deb + " (" + name + ")";
        ControlFields fields = null;
        String md5sums = null;
        String conffiles = null;
        List<String> scripts = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tarBytes), "UTF-8")) {
            TarArchiveEntry t;
            while ((t = tar.getNextEntry()) != null) {
                if (!t.isFile()) continue;
                String member = t.getName().replaceFirst("^(\\./)+", "").replaceFirst("^/+", "");
                byte[] content = tar.readAllBytes();
                switch (member) {
                    case "control" -> fields = ControlFields.parse(new String(content, StandardCharsets.UTF_8), what + " control");
                    case "md5sums" -> md5sums = new String(content, StandardCharsets.UTF_8);
                    case "conffiles" -> conffiles = new String(content, StandardCharsets.UTF_8);
                    default -> {
                        if (SCRIPTS.contains(member)) scripts.add(member);
                    }
                }
            }
        }
        if (fields == null) throw new DebArchiveException(what + ": no control file inside; " + REFETCH);
        if (fields.get("Package").isEmpty()) throw new DebArchiveException(what
                + ": control file has no Package field; the package is malformed");
        scripts.sort(java.util.Comparator.comparingInt(SCRIPTS::indexOf));
        return new Control(fields, md5sums, conffiles, scripts);
    }

    private static byte[] readMember(Path deb, InputStream ar, ArArchiveEntry m, long max) throws IOException {
        if (m.getLength() > max) throw new DebArchiveException(deb + ": member '" + m.getName() + "' is "
                + m.getLength() + " bytes, more than the " + max + " allowed; " + REFETCH);
        byte[] b = ar.readNBytes((int) m.getLength());
        if (b.length != m.getLength()) throw new DebArchiveException(deb + ": member '" + m.getName()
                + "' is truncated; " + REFETCH);
        return b;
    }

    private static String compression(Path deb, String member) {
        String base = member.startsWith("control.tar") ? "control.tar" : "data.tar";
        String suffix = member.substring(base.length());
        return switch (suffix) {
            case "", ".gz", ".xz", ".zst", ".bz2", ".lzma" -> suffix;
            default -> throw new DebArchiveException(deb + ": member '" + member
                    + "' uses an unknown compression; only none, gz, xz, zst, bz2 and lzma are read");
        };
    }

    private static InputStream decompressor(Path deb, String member, InputStream in) throws IOException {
        return switch (compression(deb, member)) {
            case "" -> in;
            case ".gz" -> new GzipCompressorInputStream(in);
            // The array cache reuses the dictionary buffers (8 MiB each) across packages instead of zeroing new ones.
            case ".xz" -> new XZInputStream(in, -1, true, org.tukaani.xz.BasicArrayCache.getInstance());
            case ".zst" -> new com.github.luben.zstd.ZstdInputStream(in);
            case ".bz2" -> new BZip2CompressorInputStream(in);
            case ".lzma" -> new LZMAInputStream(in);
            default -> throw new IllegalStateException(member);
        };
    }

    /** Passes exactly {@code length} bytes, failing if the underlying stream ends sooner (a truncated member). */
    private static final class Exact extends FilterInputStream {
        private long left;
        private final String what;

        Exact(InputStream in, long length, String what) {
            super(in);
            this.left = length;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new DebArchiveException(what + ": the member ends " + left + " bytes early (truncated file); "
                    + REFETCH);
            left -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(Math.min(n, left)); // not used by the decoders; bounded all the same
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() {
            // the ar stream is closed by its owner
        }
    }


    private static RuntimeException tooBig(String label, String member, long max) {
        return new dev.kolibri.fs.LimitExceededException(label + ": the payload passes " + Limits.exact(max)
                + " unpacked at member '" + member + "', more than the limit of " + Limits.exact(max)
                + " per package (limits.package); refusing it: raise limits.package in the definition only for a "
                + "package you trust", "limits.package");
    }

}
