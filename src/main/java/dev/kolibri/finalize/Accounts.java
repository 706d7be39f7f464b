package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@code /etc/passwd} and {@code /etc/group} hold root (0), nobody (65534) and nonroot (65532), and creates
 * {@code /root} and nonroot's home. Existing files (from a package such as RPM's {@code setup}) are kept line for
 * line and only missing accounts are appended; with neither file present on Debian, base-passwd's
 * {@code passwd.master}/{@code group.master} seed them as its postinst would. Existing {@code shadow}/{@code gshadow}
 * files get locked entries for added accounts; they are never created.
 */
public final class Accounts implements Step {
    static final String NOLOGIN = "/sbin/nologin";
    private static final String BASE_PASSWD = "usr/share/base-passwd/";

    @Override
    public String name() {
        return "accounts";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        List<String> warnings = new ArrayList<>();
        boolean seed = "deb".equals(ctx.ecosystem()) && Trees.file(tree, "etc/passwd").isEmpty()
                && Trees.file(tree, "etc/group").isEmpty() && Trees.file(tree, BASE_PASSWD + "passwd.master").isPresent()
                && Trees.file(tree, BASE_PASSWD + "group.master").isPresent();
        AccountFile passwd = load(tree, AccountFile.passwd(), seed ? BASE_PASSWD + "passwd.master" : null, warnings);
        AccountFile group = load(tree, AccountFile.group(), seed ? BASE_PASSWD + "group.master" : null, warnings);

        List<String> addedUsers = new ArrayList<>();
        List<String> addedGroups = new ArrayList<>();
        String nogroup = "deb".equals(ctx.ecosystem()) ? "nogroup" : "nobody";
        require(passwd, List.of("root", "x", "0", "0", "root", "/root", NOLOGIN), addedUsers, warnings);
        require(passwd, List.of("nobody", "x", "65534", "65534", "nobody", "/nonexistent", NOLOGIN), addedUsers, warnings);
        require(passwd, List.of("nonroot", "x", "65532", "65532", "nonroot", "/home/nonroot", NOLOGIN), addedUsers, warnings);
        require(group, List.of("root", "x", "0", ""), addedGroups, warnings);
        if (group.byId(65534).isEmpty()) require(group, List.of(nogroup, "x", "65534", ""), addedGroups, warnings);
        require(group, List.of("nonroot", "x", "65532", ""), addedGroups, warnings);
        if (passwd.byId(ctx.runAsUser()).isEmpty()) {
            warnings.add("the image runs as uid " + ctx.runAsUser() + ", which has no account in /etc/passwd");
        }

        Trees.write(tree, "etc/passwd", passwd.bytes(), 0644, ctx.epoch(), name());
        Trees.write(tree, "etc/group", group.bytes(), 0644, ctx.epoch(), name());
        appendShadow(tree, "etc/shadow", addedUsers, ":*:::::::", ctx);
        appendShadow(tree, "etc/gshadow", addedGroups, ":!::", ctx);

        Trees.directory(tree, "root", 0700, 0, 0, false, ctx.epoch(), name());
        String home = passwd.byName("nonroot").orElseThrow().fields().get(5);
        if (home.startsWith("/") && home.length() > 1 && !home.equals("/nonexistent")) {
            Trees.directory(tree, home.substring(1), 0700, 65532, 65532, true, ctx.epoch(), name());
        }
        for (String w : warnings) ctx.report().warn(name(), w);
    }

    private AccountFile load(FileTree tree, AccountFile empty, String seed, List<String> warnings) throws FinalizeException {
        Optional<FileEntry> f = Trees.file(tree, seed != null ? seed : empty.file());
        return f.isPresent() ? AccountFile.parse(empty, f.get().content(), name(), warnings) : empty;
    }

    /** Appends the account unless its name exists; the name must then have this id, and a new id must be free. */
    private void require(AccountFile db, List<String> fields, List<String> added, List<String> warnings) throws FinalizeException {
        AccountFile.Line want = new AccountFile.Line(fields);
        long id = db.id(want);
        Optional<AccountFile.Line> have = db.byName(want.name());
        if (have.isPresent()) {
            if (db.id(have.get()) != id) {
                throw new FinalizeException(name(), "/" + db.file() + " gives '" + want.name() + "' id " + db.id(have.get())
                        + ", but images expect " + id + "; fix the package that ships /" + db.file());
            }
            return;
        }
        Optional<AccountFile.Line> clash = db.byId(id);
        if (clash.isPresent()) {
            throw new FinalizeException(name(), "/" + db.file() + " already uses id " + id + " for '" + clash.get().name()
                    + "', so '" + want.name() + "' cannot be added; fix the package that ships /" + db.file());
        }
        db.add(want, name(), "/" + db.file(), warnings);
        added.add(want.name());
    }

    private void appendShadow(FileTree tree, String path, List<String> names, String rest, FinalizeContext ctx) throws FinalizeException {
        Optional<FileEntry> f = Trees.file(tree, path);
        if (f.isEmpty() || names.isEmpty()) return;
        String text = new String(f.get().content(), java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) sb.append('\n');
        for (String n : names) {
            if (!text.startsWith(n + ":") && !text.contains("\n" + n + ":")) sb.append(n).append(rest).append('\n');
        }
        Trees.write(tree, path, sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), 0640, ctx.epoch(), name());
    }
}
