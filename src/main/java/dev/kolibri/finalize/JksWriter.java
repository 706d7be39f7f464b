package dev.kolibri.finalize;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a JKS trust store (the format of the JDK's {@code cacerts}) deterministically: the JDK's own
 * {@code KeyStore.store} stamps every entry with the current time and iterates a hash table, so two runs differ.
 * Here entries are written in alias order, each with the same creation date.
 *
 * <p>Format: magic {@code 0xFEEDFEED}, version 2, entry count; per entry tag 2 (trusted certificate), alias
 * ({@code writeUTF}), creation date (ms), {@code "X.509"} ({@code writeUTF}), DER length and bytes; then
 * SHA-1 over the password's UTF-16BE bytes, {@code "Mighty Aphrodite"} and everything before.
 */
public final class JksWriter {
    /** The password the JDK, ca-certificates-java and p11-kit use for {@code cacerts}. */
    public static final String DEFAULT_PASSWORD = "changeit";
    private static final int MAGIC = 0xFEEDFEED;
    private static final int VERSION = 2;
    private static final int TRUSTED_CERT = 2;

    private JksWriter() {}

    /**
     * A JKS file holding every certificate as a trusted-certificate entry.
     *
     * @param certificates alias to DER certificate; JKS aliases are case-insensitive, so aliases must already be
     *                     lower case (as the JDK stores them) and unique
     * @param password     store password (integrity only)
     * @param createdMillis creation date written into every entry (e.g. the build epoch times 1000)
     * @throws IllegalArgumentException for an alias that is empty, not lower case, or too long for {@code writeUTF}
     */
    public static byte[] trustStore(Map<String, byte[]> certificates, String password, long createdMillis) {
        SortedMap<String, byte[]> sorted = new TreeMap<>(certificates);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(sorted.size());
            for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
                String alias = e.getKey();
                if (alias.isEmpty() || !alias.equals(alias.toLowerCase(Locale.ENGLISH))) {
                    throw new IllegalArgumentException("JKS alias '" + alias + "' must be non-empty and lower case");
                }
                out.writeInt(TRUSTED_CERT);
                out.writeUTF(alias);
                out.writeLong(createdMillis);
                out.writeUTF("X.509");
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.write(digest(password, bytes.toByteArray()));
        } catch (java.io.UTFDataFormatException e) {
            throw new IllegalArgumentException("a JKS alias is too long (over 65535 bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Same as {@link #trustStore(Map, String, long)} with {@link #DEFAULT_PASSWORD}. */
    public static byte[] trustStore(Map<String, byte[]> certificates, long createdMillis) {
        return trustStore(certificates, DEFAULT_PASSWORD, createdMillis);
    }

    private static byte[] digest(String password, byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (char c : password.toCharArray()) {
                md.update((byte) (c >> 8));
                md.update((byte) c);
            }
            md.update("Mighty Aphrodite".getBytes(StandardCharsets.UTF_8));
            md.update(data);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JDK", e);
        }
    }

    /** Lower-case ({@link Locale#ENGLISH}, as the JDK's JKS does) aliases made unique with {@code -1}, {@code -2}, ... */
    static String unique(Map<String, ?> taken, String alias) {
        String base = alias.toLowerCase(Locale.ENGLISH);
        String a = base;
        for (int n = 1; taken.containsKey(a); n++) a = base + "-" + n;
        return a;
    }

}
