package dev.kolibri.testing;

import dev.kolibri.repo.Keyring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A throwaway gpg home with one key, made and used by the real gpg. Close it to stop its agent. */
public final class GpgFixture implements AutoCloseable {
    public final Path home;
    public final String fingerprint;
    private final Map<String, String> env;

    private GpgFixture(Path home, String fingerprint) {
        this.home = home;
        this.fingerprint = fingerprint;
        this.env = Map.of("GNUPGHOME", home.toString());
    }

    /** A key of {@code algo} (ed25519, rsa3072) that signs with its primary key. */
    public static GpgFixture create(String algo) throws IOException {
        return create(algo, false, null);
    }

    /**
     * @param signingSubkey when true the primary key only certifies and a separate subkey signs
     * @param fakedTime     gpg's --faked-system-time (e.g. {@code 20200101T000000}) for key creation, or null
     * @param extra         extra --quick-gen-key arguments after the algo (usage, expiry)
     */
    public static GpgFixture create(String algo, boolean signingSubkey, String fakedTime, String... extra) throws IOException {
        Tools.require("gpg");
        Path home = Files.createTempDirectory("kgpg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        GpgFixture g = new GpgFixture(home, null);
        List<String> gen = new ArrayList<>(List.of("--quick-gen-key", "Test <t@kolibri.invalid>", algo));
        if (extra.length > 0) gen.addAll(List.of(extra));
        else gen.addAll(List.of(signingSubkey ? "cert" : "sign", "never"));
        g.gpg(fakedTime, gen.toArray(String[]::new));
        String fpr = g.primaryFingerprint();
        if (signingSubkey) g.gpg(fakedTime, "--quick-add-key", fpr, algo, "sign", extra.length > 1 ? extra[1] : "never");
        return new GpgFixture(home, fpr);
    }

    private String primaryFingerprint() {
        String out = gpg(null, "--with-colons", "--list-keys").out();
        for (String line : out.split("\n")) {
            if (line.startsWith("fpr:")) return line.split(":")[9];
        }
        throw new AssertionError("no key in " + home);
    }

    /** The colon listing of the keys (for subkey fingerprints). */
    public List<String> allFingerprints() {
        List<String> out = new ArrayList<>();
        for (String line : gpg(null, "--with-colons", "--list-keys").out().split("\n")) {
            if (line.startsWith("fpr:")) out.add(line.split(":")[9]);
        }
        return out;
    }

    public Tools.Result gpg(String fakedTime, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback",
                "--passphrase", ""));
        if (fakedTime != null) cmd.addAll(List.of("--faked-system-time", fakedTime));
        cmd.addAll(List.of(args));
        return Tools.run(home, env, cmd).orFail(cmd);
    }

    public byte[] publicBinary() throws IOException {
        Path out = home.resolve("pub.gpg");
        gpg(null, "--output", out.toString(), "--export", fingerprint);
        return Files.readAllBytes(out);
    }

    public byte[] publicArmored() throws IOException {
        Path out = home.resolve("pub.asc");
        gpg(null, "--armor", "--output", out.toString(), "--export", fingerprint);
        return Files.readAllBytes(out);
    }

    public Keyring keyring() throws Exception {
        return Keyring.of(publicBinary(), "test-keyring");
    }

    /** {@code gpg --clearsign}, with extra options (e.g. --digest-algo SHA512, -u KEY). */
    public byte[] clearsign(byte[] data, String... options) throws IOException {
        return sign(data, "--clearsign", null, options);
    }

    public byte[] clearsignAt(byte[] data, String fakedTime) throws IOException {
        return sign(data, "--clearsign", fakedTime);
    }

    /** {@code gpg -abs} (armored detached) or {@code gpg -bs} (binary detached). */
    public byte[] detachSign(byte[] data, boolean armor) throws IOException {
        return sign(data, armor ? "-abs" : "-bs", null);
    }

    private byte[] sign(byte[] data, String mode, String fakedTime, String... options) throws IOException {
        Path in = Files.createTempFile(home, "data", ".txt");
        Path out = home.resolve(in.getFileName() + ".sig");
        Files.write(in, data);
        List<String> args = new ArrayList<>(List.of(options));
        if (args.stream().noneMatch(a -> a.equals("-u") || a.equals("--local-user"))) args.addAll(List.of("-u", fingerprint));
        args.addAll(List.of(mode, "--output", out.toString(), in.toString()));
        gpg(fakedTime, args.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    /** Imports another fixture's secret key so both can sign one message. */
    public void importSecretOf(GpgFixture other) throws IOException {
        Path sec = home.resolve("other.sec");
        other.gpg(null, "--output", sec.toString(), "--export-secret-keys", other.fingerprint);
        gpg(null, "--import", sec.toString());
    }

    @Override
    public void close() {
        Tools.run(null, env, List.of("gpgconf", "--kill", "gpg-agent"));
    }
}
