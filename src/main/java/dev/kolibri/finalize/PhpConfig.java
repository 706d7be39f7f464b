package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the postinst of Debian's PHP packages does with {@code ucf} and {@code phpenmod}, for each PHP version
 * {@code V} in the tree:
 * <ul>
 *   <li>each module's ini file, shipped as {@code /usr/share/phpV-PKG/GROUP/MOD.ini}, is put at
 *       {@code /etc/php/V/mods-available/MOD.ini} (unless one is there);</li>
 *   <li>for each SAPI the packages register ({@code /usr/lib/php/V/sapi/SAPI}: cli, fpm, cgi...):
 *       {@code /etc/php/V/SAPI/php.ini} is {@code /usr/lib/php/V/php.ini-production.SAPI}, else
 *       {@code php.ini-production} (unless one is there), and every available module is enabled as
 *       {@code /etc/php/V/SAPI/conf.d/PRIO-MOD.ini -> /etc/php/V/mods-available/MOD.ini}, PRIO from the ini's
 *       {@code ; priority=} line (20 when it has none), unless that SAPI's conf.d already has a {@code *-MOD.ini}.</li>
 *   <li>{@code /usr/bin/php -> /etc/alternatives/php -> /usr/bin/phpV} (and {@code phar}, {@code phar.phar}),
 *       as php-cli's {@code update-alternatives} makes them, the highest version winning, unless the link is
 *       there: scripts such as composer start with {@code #!/usr/bin/php}.</li>
 * </ul>
 * Without this, PHP in an image reads no php.ini and loads none of the shared modules it ships (ctype, iconv,
 * phar, tokenizer, opcache...). A no-op without PHP.
 */
public final class PhpConfig implements Step {
    private static final Pattern SHARE = Pattern.compile("usr/share/php(\\d+\\.\\d+)-[a-z0-9.+-]+/[a-z0-9_.+-]+/([a-z0-9_]+)\\.ini");
    private static final Pattern SAPI = Pattern.compile("usr/lib/php/(\\d+\\.\\d+)/sapi/([a-z0-9]+)");
    private static final Pattern PRIORITY = Pattern.compile("(?m)^\\s*;\\s*priority\\s*=\\s*(\\d{1,2})\\s*$");

    @Override
    public String name() {
        return "php-config";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        // version -> module -> ini text; version -> SAPIs
        Map<String, Map<String, byte[]>> modules = new TreeMap<>();
        Map<String, List<String>> sapis = new TreeMap<>();
        for (FileEntry e : List.copyOf(tree.entries())) {
            Matcher m = SHARE.matcher(e.path());
            if (m.matches()) {
                Optional<FileEntry> f = Trees.file(tree, e.path());
                if (f.isPresent()) modules.computeIfAbsent(m.group(1), v -> new TreeMap<>()).putIfAbsent(m.group(2), f.get().content());
                continue;
            }
            Matcher s = SAPI.matcher(e.path());
            if (s.matches()) sapis.computeIfAbsent(s.group(1), v -> new ArrayList<>()).add(s.group(2));
        }
        for (Map.Entry<String, Map<String, byte[]>> v : modules.entrySet()) {
            for (Map.Entry<String, byte[]> mod : v.getValue().entrySet()) {
                String avail = "etc/php/" + v.getKey() + "/mods-available/" + mod.getKey() + ".ini";
                if (tree.resolve(avail).flatMap(tree::get).isEmpty()) Trees.write(tree, avail, mod.getValue(), 0644, ctx.epoch(), name());
            }
        }
        alternatives(tree, ctx);
        for (Map.Entry<String, List<String>> v : sapis.entrySet()) {
            String version = v.getKey();
            for (String sapi : v.getValue().stream().sorted().toList()) {
                phpIni(tree, version, sapi, ctx);
                enableModules(tree, version, sapi, ctx);
            }
        }
    }

    private void alternatives(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        for (String command : List.of("php", "phar", "phar.phar")) {
            String link = "usr/bin/" + command;
            if (tree.resolveParent(link).flatMap(tree::get).isPresent()) continue;
            Optional<String> best = tree.under("usr/bin").stream().map(e -> e.path().substring("usr/bin/".length()))
                    .filter(n -> n.startsWith(command) && n.substring(command.length()).matches("\\d+\\.\\d+"))
                    .filter(n -> Trees.file(tree, "usr/bin/" + n).isPresent())
                    .max(java.util.Comparator.comparing((String n) -> Integer.parseInt(n.substring(command.length()).split("\\.")[0]))
                            .thenComparing(n -> Integer.parseInt(n.substring(command.length()).split("\\.")[1])));
            if (best.isEmpty()) continue;
            Trees.symlink(tree, "etc/alternatives/" + command, "/usr/bin/" + best.get(), ctx.epoch(), name());
            Trees.symlink(tree, link, "/etc/alternatives/" + command, ctx.epoch(), name());
        }
    }

    private void phpIni(FileTree tree, String version, String sapi, FinalizeContext ctx) throws FinalizeException {
        String ini = "etc/php/" + version + "/" + sapi + "/php.ini";
        if (tree.resolve(ini).flatMap(tree::get).isPresent()) return;
        String lib = "usr/lib/php/" + version + "/php.ini-production";
        Optional<FileEntry> src = Trees.file(tree, lib + "." + sapi).or(() -> Trees.file(tree, lib));
        if (src.isEmpty()) {
            ctx.report().warn(name(), "PHP " + version + " registers the " + sapi + " SAPI but /" + lib + " is not in the image; no /" + ini);
            return;
        }
        Trees.write(tree, ini, src.get().content(), 0644, ctx.epoch(), name());
    }

    private void enableModules(FileTree tree, String version, String sapi, FinalizeContext ctx) throws FinalizeException {
        String avail = "etc/php/" + version + "/mods-available";
        if (!Trees.isDirectory(tree, avail)) return;
        String confd = "etc/php/" + version + "/" + sapi + "/conf.d";
        String confdReal = tree.resolve(confd).orElse(confd);
        List<String> present = tree.under(confdReal).stream().map(e -> e.path().substring(confdReal.length() + 1))
                .filter(n -> n.indexOf('/') < 0).toList();
        String availReal = Trees.real(tree, avail, name());
        for (FileEntry e : List.copyOf(tree.under(availReal)).stream().sorted(java.util.Comparator.comparing(FileEntry::path)).toList()) {
            String file = e.path().substring(availReal.length() + 1);
            if (file.indexOf('/') >= 0 || !file.endsWith(".ini")) continue;
            String mod = file.substring(0, file.length() - ".ini".length());
            if (present.stream().anyMatch(n -> n.endsWith("-" + mod + ".ini"))) continue;
            Optional<FileEntry> f = Trees.file(tree, e.path());
            if (f.isEmpty()) continue;
            Matcher p = PRIORITY.matcher(new String(f.get().content(), StandardCharsets.UTF_8));
            String prio = p.find() ? String.format("%02d", Integer.parseInt(p.group(1))) : "20";
            Trees.symlink(tree, confd + "/" + prio + "-" + mod + ".ini", "/" + avail + "/" + file, ctx.epoch(), name());
        }
    }
}
