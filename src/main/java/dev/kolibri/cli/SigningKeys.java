package dev.kolibri.cli;

import dev.kolibri.sign.CosignKeys;
import dev.kolibri.sign.KeyException;
import dev.kolibri.sign.Passwords;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;

/** Opens a cosign private key with the password from KOLIBRI_PASSWORD / COSIGN_PASSWORD or the terminal. */
final class SigningKeys {
    private SigningKeys() {}

    static KeyPair open(Path key) throws KeyException {
        char[] password = Passwords.resolve(System.getenv(), System.console());
        try {
            return CosignKeys.readPrivate(key, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
