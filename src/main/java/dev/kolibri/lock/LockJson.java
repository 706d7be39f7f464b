package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The lockfile's JSON form: strict reading, stable writing, atomic replacement. */
final class LockJson {
    static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private LockJson() {}

    static byte[] bytes(Lockfile lock) {
        try {
            return (WRITER.writeValueAsString(lock) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render lockfile as JSON", e);
        }
    }

    static Lockfile read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) throw new LockException(file + ": too large for a lockfile (over 64 MiB)");
        return parse(Files.readAllBytes(file), file);
    }

    static Lockfile parse(byte[] json, Path file) {
        try {
            Lockfile lock = MAPPER.readValue(json, Lockfile.class);
            if (lock == null) throw new LockException(file + ": empty; it is not a lockfile");
            return lock;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LockException(where(file, e.getLocation()) + cause.getMessage(), e);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw new LockException(where(file, e.getLocation()) + "not a valid lockfile: unknown key `" + path(e)
                    + "`; known keys here: " + String.join(", ", known), e);
        } catch (MismatchedInputException e) {
            String msg = e.getOriginalMessage();
            int but = msg.indexOf(" (but ");
            if (but > 0) msg = msg.substring(0, but);
            String path = path(e);
            if (msg.startsWith("Missing required creator property") && !path.isEmpty()) msg = "`" + path + "` is missing";
            else if (!path.isEmpty()) msg = "`" + path + "`: " + msg;
            throw new LockException(where(file, e.getLocation()) + "not a valid lockfile: " + msg, e);
        } catch (JsonProcessingException e) {
            throw new LockException(where(file, e.getLocation()) + "not a valid lockfile: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new LockException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code packages.amd64[0].size}: where in the document the problem is. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
        }
        return b.toString();
    }

    private static String where(Path file, JsonLocation at) {
        return at != null && at.getLineNr() > 0 ? file + ":" + at.getLineNr() + ": " : file + ": ";
    }

    static void write(Lockfile lock, Path file) throws IOException {
        byte[] bytes = bytes(lock);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC)) {
                out.write(bytes);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
