package dev.kolibri.finalize;

import java.util.Objects;

/**
 * One policy observation about an image.
 *
 * @param rule     stable rule id: {@code shell}, {@code package-manager}, {@code setuid}, {@code setgid},
 *                 {@code world-writable}, {@code runs-as-root}
 * @param path     absolute path in the image ({@code /bin/dash}), or "" for image-wide findings
 * @param pkg      package that brought the path in, or "" when the image build made it / not applicable
 * @param severity {@link #ERROR} (fails a build) or {@link #WARNING}
 */
public record PolicyFinding(String rule, String path, String pkg, String severity) {
    public static final String ERROR = "error";
    public static final String WARNING = "warning";

    public PolicyFinding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(pkg, "pkg");
        if (!ERROR.equals(severity) && !WARNING.equals(severity)) {
            throw new IllegalArgumentException("severity must be 'error' or 'warning', not '" + severity + "'");
        }
    }

    public boolean isError() {
        return ERROR.equals(severity);
    }

    /** One line for people, e.g. {@code /bin/dash from package dash}. */
    public String describe() {
        String what = path.isEmpty() ? rule : path;
        return pkg.isEmpty() ? what : what + " from package " + pkg;
    }
}
