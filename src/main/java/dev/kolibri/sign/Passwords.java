package dev.kolibri.sign;

import java.io.Console;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a key's password comes from: {@code KOLIBRI_PASSWORD}, else {@code COSIGN_PASSWORD} (set but empty means
 * the empty password), else a prompt on the terminal, else an error saying what to set.
 */
public final class Passwords {
    public static final String KOLIBRI_PASSWORD = "KOLIBRI_PASSWORD";
    public static final String COSIGN_PASSWORD = "COSIGN_PASSWORD";

    /** Reads a password without echo; {@link Console#readPassword} is one. Returns null at end of input. */
    @FunctionalInterface
    public interface Prompt {
        char[] read(String prompt);
    }

    private Passwords() {}

    /** The password to open an existing key. {@code console} may be null (no terminal). */
    public static char[] resolve(Map<String, String> env, Console console) throws KeyException {
        return resolve(env, prompt(console), false);
    }

    /** The password for a new key: when prompting, asks twice and refuses a mismatch. */
    public static char[] resolveNew(Map<String, String> env, Console console) throws KeyException {
        return resolve(env, prompt(console), true);
    }

    public static char[] resolve(Map<String, String> env, Prompt prompt, boolean confirm) throws KeyException {
        for (String name : new String[] {KOLIBRI_PASSWORD, COSIGN_PASSWORD}) {
            String v = env.get(name);
            if (v != null) return v.toCharArray();
        }
        if (prompt == null) {
            throw new KeyException("no password for the private key and no terminal to ask on: set " + KOLIBRI_PASSWORD
                    + " or " + COSIGN_PASSWORD + " (set it empty for an empty password)");
        }
        char[] first = prompt.read("Enter password for private key: ");
        if (first == null) throw new KeyException("no password was entered (end of input): set " + KOLIBRI_PASSWORD + " or " + COSIGN_PASSWORD + " instead");
        if (!confirm) return first;
        char[] again = prompt.read("Enter password for private key again: ");
        if (again == null || !Arrays.equals(first, again)) {
            Arrays.fill(first, '\0');
            if (again != null) Arrays.fill(again, '\0');
            throw new KeyException("the two passwords differ: run the command again and type the same password twice");
        }
        Arrays.fill(again, '\0');
        return first;
    }

    private static Prompt prompt(Console console) {
        return console == null ? null : p -> console.readPassword("%s", p);
    }
}
