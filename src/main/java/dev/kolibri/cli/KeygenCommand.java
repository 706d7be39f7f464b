package dev.kolibri.cli;

import dev.kolibri.sign.CosignKeys;
import dev.kolibri.sign.KeyException;
import dev.kolibri.sign.Passwords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "keygen", description = "Make a cosign-compatible key pair: P.key (encrypted) and P.pub.")
final class KeygenCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Option(names = "--output-prefix", paramLabel = "P", description = "file name prefix (default cosign)")
    String prefix = "cosign";

    @Override
    public Integer call() throws Exception {
        Path key = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub");
        for (Path p : new Path[] {key, pub}) {
            if (Files.exists(p)) throw new KeyException(p + " already exists: remove it or choose another --output-prefix");
        }
        char[] password = Passwords.resolveNew(System.getenv(), System.console());
        try {
            KeyPair pair = CosignKeys.generate();
            byte[] priv = CosignKeys.writePrivate(pair, password);
            write(key, priv, true);
            write(pub, CosignKeys.writePublic(pair.getPublic()), false);
        } finally {
            Arrays.fill(password, '\0');
        }
        cmd.commandLine().getOut().printf("Private key written to %s%nPublic key written to %s%n", key, pub);
        return 0;
    }

    private static void write(Path p, byte[] content, boolean secret) throws IOException, KeyException {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            if (secret && parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(p, content, StandardOpenOption.TRUNCATE_EXISTING);
            } else {
                Files.write(p, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyException(p + " already exists: remove it or choose another --output-prefix", e);
        }
    }
}
