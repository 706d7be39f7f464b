package dev.kolibri.sbom;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's supplier, parsed from Debian {@code Maintainer} or RPM {@code Packager}/{@code Vendor}:
 * {@code "GNU Libc Maintainers <debian-glibc@lists.debian.org>"}, {@code "Fedora Project"}.
 *
 * @param organization true for teams and projects (and any name without an e-mail address), false for a person
 */
record Supplier(String name, String email, boolean organization) {
    private static final Pattern NAME_MAIL = Pattern.compile("\\s*(.*?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*");
    private static final Pattern TEAM = Pattern.compile(
            "(?i).*\\b(maintainers?|team|project|developers|packagers?|group|foundation|inc\\.?|ltd\\.?|llc|corporation|community|debian|fedora|red hat)\\b.*");

    static Supplier parse(String text) {
        if (text == null || text.isBlank()) return null;
        String name = text.strip();
        String email = null;
        Matcher m = NAME_MAIL.matcher(text);
        if (m.matches()) {
            name = m.group(1).isEmpty() ? m.group(2) : m.group(1);
            email = m.group(2);
        }
        name = name.replaceAll("[()]", "").strip();
        boolean org = email == null || TEAM.matcher(name).matches() || email.contains("lists.");
        return new Supplier(name, email, org);
    }

    /** SPDX 2.3 form: {@code Organization: Name (mail)} or {@code Person: Name (mail)}. */
    String spdx() {
        return (organization ? "Organization: " : "Person: ") + name + (email == null ? "" : " (" + email + ")");
    }
}
