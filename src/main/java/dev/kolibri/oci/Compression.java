package dev.kolibri.oci;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * Layer compression. Every writer here gives the same bytes for the same input on any machine with the same
 * compressor library (zlib for gzip, libzstd for zstd): gzip headers carry no time, name or host, zstd runs
 * single-threaded with a fixed checksum setting.
 */
public enum Compression {
    GZIP(MediaTypes.LAYER_GZIP, 6, 1, 9),
    ZSTD(MediaTypes.LAYER_ZSTD, 3, 1, 19),
    NONE(MediaTypes.LAYER_TAR, 0, 0, 0);

    private final String mediaType;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String mediaType, int defaultLevel, int minLevel, int maxLevel) {
        this.mediaType = mediaType;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** The OCI layer media type of a tar compressed this way. */
    public String mediaType() {
        return mediaType;
    }

    /** gzip 6 (as {@code gzip} itself), zstd 3 (as {@code zstd} itself), 0 for none. */
    public int defaultLevel() {
        return defaultLevel;
    }

    /** The compression of an OCI or Docker layer media type; IllegalArgumentException for anything else. */
    public static Compression ofMediaType(String mediaType) {
        return switch (mediaType) {
            case MediaTypes.LAYER_GZIP, MediaTypes.DOCKER_LAYER_GZIP -> GZIP;
            case MediaTypes.LAYER_ZSTD -> ZSTD;
            case MediaTypes.LAYER_TAR -> NONE;
            default -> throw new IllegalArgumentException("not a layer media type: " + mediaType
                    + " (known: " + MediaTypes.LAYER_TAR + ", " + MediaTypes.LAYER_GZIP + ", " + MediaTypes.LAYER_ZSTD + ")");
        };
    }

    /** Wraps {@code out} with a compressor at the default level. Closing the result finishes and closes {@code out}. */
    public OutputStream compress(OutputStream out) throws IOException {
        return compress(out, defaultLevel);
    }

    /** Wraps {@code out} with a compressor at {@code level}. Closing the result finishes and closes {@code out}. */
    public OutputStream compress(OutputStream out, int level) throws IOException {
        if (level < minLevel || level > maxLevel) {
            throw new IllegalArgumentException(name().toLowerCase() + " level " + level + " is out of range "
                    + minLevel + ".." + maxLevel);
        }
        return switch (this) {
            case GZIP -> new GzipWriter(out, level);
            case ZSTD -> {
                ZstdOutputStream z = new ZstdOutputStream(out, level);
                z.setWorkers(0);
                z.setChecksum(true);
                z.setCloseFrameOnFlush(false);
                yield z;
            }
            case NONE -> out;
        };
    }

    /** Wraps {@code in} with the matching decompressor (gzip accepts concatenated members). */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16);
            case ZSTD -> new ZstdInputStream(new BufferedInputStream(in, 1 << 16));
            case NONE -> in;
        };
    }
}
