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

    /** Data binding, set up only when a lockfile needs it (an error to word): costly for a short command. */
    private static final class Binding {
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
    }

    private LockJson() {}

    /** The lockfile's bytes: keys in record order, nulls left out, 2-space indent, a final newline. */
    static byte[] bytes(Lockfile lock) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 << 10);
        try (com.fasterxml.jackson.core.JsonGenerator g = FastRead.FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(prettyPrinter());
            g.writeStartObject();
            g.writeNumberField("version", lock.version());
            stringField(g, "specDigest", lock.specDigest());
            if (lock.sourceDateEpoch() != null) g.writeNumberField("sourceDateEpoch", lock.sourceDateEpoch());
            g.writeArrayFieldStart("repositories");
            for (LockedRepository r : lock.repositories()) {
                g.writeStartObject();
                stringField(g, "id", r.id());
                if (!lock.isLegacy()) stringField(g, "type", r.type());
                stringField(g, "url", r.url());
                stringField(g, "suite", r.suite());
                stringField(g, "repo", r.repo());
                stringField(g, "releaseDigest", r.releaseDigest());
                if (r.release() != null) {
                    g.writeObjectFieldStart("release");
                    stringField(g, "origin", r.release().origin());
                    stringField(g, "label", r.release().label());
                    stringField(g, "suite", r.release().suite());
                    stringField(g, "codename", r.release().codename());
                    stringField(g, "version", r.release().version());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("packages");
            for (var e : lock.packages().entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (LockedPackage p : e.getValue()) {
                    g.writeStartObject();
                    stringField(g, "name", p.name());
                    stringField(g, "version", p.version());
                    stringField(g, "arch", p.arch());
                    stringField(g, "source", p.source());
                    stringField(g, "sourceVersion", p.sourceVersion());
                    stringField(g, "path", p.path());
                    g.writeNumberField("size", p.size());
                    stringField(g, "sha256", p.sha256());
                    stringField(g, "repository", p.repository());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            if (!lock.contents().isEmpty()) {
                g.writeArrayFieldStart("contents");
                for (LockedContent c : lock.contents()) {
                    g.writeStartObject();
                    stringField(g, "from", c.from());
                    stringField(g, "to", c.to());
                    stringField(g, "digest", c.digest());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot render lockfile as JSON", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void stringField(com.fasterxml.jackson.core.JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    }

    /** The same bytes by data binding: the reference {@link #bytes} is tested against. */
    static byte[] bindingBytes(Lockfile lock) {
        try {
            return (Binding.WRITER.writeValueAsString(lock) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render lockfile as JSON", e);
        }
    }

    static Lockfile read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) throw new LockException(file + ": too large for a lockfile (over 64 MiB)");
        return parse(Files.readAllBytes(file), file);
    }

    static Lockfile parse(byte[] json, Path file) {
        // The common case, a well-formed lockfile, is read with the streaming parser (no data binding to set up,
        // which costs a short command more than the parsing); anything it does not expect goes to data binding,
        // which reads it the same way or says precisely what is wrong.
        Lockfile fast = FastRead.parse(json);
        return fast != null ? fast : bind(json, file);
    }

    /** Reads {@code json} with data binding: the reference reading, with precise errors. */
    static Lockfile bind(byte[] json, Path file) {
        try {
            Lockfile lock = Binding.MAPPER.readValue(json, Lockfile.class);
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

    /**
     * Reads exactly the documents data binding accepts without complaint, into the same records, or returns null.
     * Strict: every key known and present at most once, strings as strings (or null), integers as integers; the
     * record constructors validate as they do for data binding.
     */
    static final class FastRead {
        static final com.fasterxml.jackson.core.JsonFactory FACTORY = com.fasterxml.jackson.core.JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

        /** Thrown inside the fast path for anything unexpected: data binding takes over. */
        private static final class Unexpected extends Exception {
            Unexpected() {
                super(null, null, false, false);
            }
        }

        private FastRead() {}

        static Lockfile parse(byte[] json) {
            try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(json)) {
                Lockfile lock = lockfile(p);
                if (p.nextToken() != null) return null;
                return lock;
            } catch (Unexpected | IOException | RuntimeException e) {
                return null;
            }
        }

        private static Lockfile lockfile(com.fasterxml.jackson.core.JsonParser p) throws IOException, Unexpected {
            expect(p.nextToken(), com.fasterxml.jackson.core.JsonToken.START_OBJECT);
            Integer version = null;
            String specDigest = null;
            Long epoch = null;
            List<LockedRepository> repositories = null;
            java.util.Map<String, List<LockedPackage>> packages = null;
            List<LockedContent> contents = null;
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) throw new Unexpected();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                switch (key) {
                    case "version" -> version = (int) integer(p, t, true);
                    case "specDigest" -> specDigest = string(p, t);
                    case "sourceDateEpoch" -> epoch = t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? null : integer(p, t, false);
                    case "repositories" -> repositories = repositories(p, t);
                    case "packages" -> packages = packages(p, t);
                    case "contents" -> contents = contents(p, t);
                    default -> throw new Unexpected();
                }
            }
            expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_OBJECT);
            if (version == null) throw new Unexpected();
            return new Lockfile(version, specDigest, epoch, repositories, packages, contents);
        }

        private static List<LockedContent> contents(com.fasterxml.jackson.core.JsonParser p,
                                                    com.fasterxml.jackson.core.JsonToken t) throws IOException, Unexpected {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            expect(t, com.fasterxml.jackson.core.JsonToken.START_ARRAY);
            List<LockedContent> out = new java.util.ArrayList<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                String from = null, to = null, digest = null;
                java.util.Set<String> seen = new java.util.HashSet<>();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (!seen.add(key)) throw new Unexpected();
                    String v = string(p, p.nextToken());
                    switch (key) {
                        case "from" -> from = v;
                        case "to" -> to = v;
                        case "digest" -> digest = v;
                        default -> throw new Unexpected();
                    }
                }
                out.add(new LockedContent(from, to, digest));
            }
            expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_ARRAY);
            return out;
        }

        private static List<LockedRepository> repositories(com.fasterxml.jackson.core.JsonParser p,
                                                           com.fasterxml.jackson.core.JsonToken t) throws IOException, Unexpected {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            expect(t, com.fasterxml.jackson.core.JsonToken.START_ARRAY);
            List<LockedRepository> out = new java.util.ArrayList<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                String id = null, type = null, url = null, suite = null, repo = null, release = null;
                dev.kolibri.pkg.RepositoryRelease identity = null;
                java.util.Set<String> seen = new java.util.HashSet<>();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    if (!seen.add(key)) throw new Unexpected();
                    com.fasterxml.jackson.core.JsonToken vt = p.nextToken();
                    if (key.equals("release")) {
                        identity = release(p, vt);
                        continue;
                    }
                    String v = string(p, vt);
                    switch (key) {
                        case "id" -> id = v;
                        case "type" -> type = v;
                        case "url" -> url = v;
                        case "suite" -> suite = v;
                        case "repo" -> repo = v;
                        case "releaseDigest" -> release = v;
                        default -> throw new Unexpected();
                    }
                }
                out.add(new LockedRepository(id, type, url, suite, repo, release, identity));
            }
            expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_ARRAY);
            return out;
        }

        private static dev.kolibri.pkg.RepositoryRelease release(com.fasterxml.jackson.core.JsonParser p,
                com.fasterxml.jackson.core.JsonToken t) throws IOException, Unexpected {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            expect(t, com.fasterxml.jackson.core.JsonToken.START_OBJECT);
            String origin = null, label = null, suite = null, codename = null, version = null;
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) throw new Unexpected();
                String v = string(p, p.nextToken());
                switch (key) {
                    case "origin" -> origin = v;
                    case "label" -> label = v;
                    case "suite" -> suite = v;
                    case "codename" -> codename = v;
                    case "version" -> version = v;
                    default -> throw new Unexpected();
                }
            }
            expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_OBJECT);
            return new dev.kolibri.pkg.RepositoryRelease(origin, label, suite, codename, version);
        }

        private static java.util.Map<String, List<LockedPackage>> packages(com.fasterxml.jackson.core.JsonParser p,
                com.fasterxml.jackson.core.JsonToken t) throws IOException, Unexpected {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            expect(t, com.fasterxml.jackson.core.JsonToken.START_OBJECT);
            java.util.Map<String, List<LockedPackage>> out = new java.util.LinkedHashMap<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String arch = p.currentName();
                if (out.containsKey(arch)) throw new Unexpected();
                expect(p.nextToken(), com.fasterxml.jackson.core.JsonToken.START_ARRAY);
                List<LockedPackage> list = new java.util.ArrayList<>();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) list.add(lockedPackage(p));
                expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_ARRAY);
                out.put(arch, list);
            }
            expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.END_OBJECT);
            return out;
        }

        private static LockedPackage lockedPackage(com.fasterxml.jackson.core.JsonParser p) throws IOException, Unexpected {
            String name = null, version = null, arch = null, source = null, sourceVersion = null, url = null;
            String sha256 = null, repository = null;
            Long size = null;
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (!seen.add(key)) throw new Unexpected();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (key.equals("size")) {
                    size = integer(p, t, false);
                    continue;
                }
                String v = string(p, t);
                switch (key) {
                    case "name" -> name = v;
                    case "version" -> version = v;
                    case "arch" -> arch = v;
                    case "source" -> source = v;
                    case "sourceVersion" -> sourceVersion = v;
                    case "path", "url" -> {
                        if (url != null) throw new Unexpected();
                        url = v;
                    }
                    case "sha256" -> sha256 = v;
                    case "repository" -> repository = v;
                    default -> throw new Unexpected();
                }
            }
            if (size == null) throw new Unexpected();
            return new LockedPackage(name, version, arch, source, sourceVersion, url, size, sha256, repository);
        }

        private static String string(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t)
                throws IOException, Unexpected {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            expect(t, com.fasterxml.jackson.core.JsonToken.VALUE_STRING);
            return p.getText();
        }

        private static long integer(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t,
                                    boolean asInt) throws IOException, Unexpected {
            expect(t, com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT);
            com.fasterxml.jackson.core.JsonParser.NumberType n = p.getNumberType();
            if (n == com.fasterxml.jackson.core.JsonParser.NumberType.INT) return p.getIntValue();
            if (n == com.fasterxml.jackson.core.JsonParser.NumberType.LONG && !asInt) return p.getLongValue();
            throw new Unexpected();
        }

        private static void expect(com.fasterxml.jackson.core.JsonToken actual, com.fasterxml.jackson.core.JsonToken wanted)
                throws Unexpected {
            if (actual != wanted) throw new Unexpected();
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
