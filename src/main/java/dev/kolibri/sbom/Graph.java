package dev.kolibri.sbom;

import com.github.packageurl.PackageURL;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An {@link SbomInput} checked and put in a canonical order, so that both writers describe the same graph
 * the same way whatever order the input came in.
 *
 * @param packages  by key, sorted
 * @param purls     package key to purl
 * @param sources   source package of each package key
 * @param dependsOn package key to the sorted keys it depends on (self edges dropped)
 */
record Graph(SbomInput input,
             SortedMap<String, SbomPackage> packages,
             Map<String, PackageURL> purls,
             Map<String, SourcePackage> sources,
             SortedMap<String, SortedSet<String>> dependsOn) {

    static Graph of(SbomInput in) {
        var packages = new TreeMap<String, SbomPackage>();
        var sorted = new ArrayList<>(in.packages());
        sorted.sort(Comparator.comparing(SbomPackage::key).thenComparing(SbomPackage::version));
        for (SbomPackage p : sorted) {
            SbomPackage old = packages.put(p.key(), p);
            if (old != null) {
                throw new SbomException("image " + in.image().name() + " lists package " + p.key() + " twice ("
                        + old.fullVersion() + " and " + p.fullVersion() + "): an image holds one version of each package");
            }
        }
        var purls = new TreeMap<String, PackageURL>();
        var sources = new TreeMap<String, SourcePackage>();
        for (SbomPackage p : packages.values()) {
            purls.put(p.key(), Purls.of(p, in.os()));
            sources.put(p.key(), SourcePackage.of(p));
        }
        var deps = new TreeMap<String, SortedSet<String>>();
        for (var e : in.dependsOn().entrySet()) {
            if (!packages.containsKey(e.getKey())) throw unknown(in, e.getKey(), null);
            var to = new TreeSet<String>();
            for (String k : e.getValue()) {
                if (!packages.containsKey(k)) throw unknown(in, k, e.getKey());
                if (!k.equals(e.getKey())) to.add(k);
            }
            if (!to.isEmpty()) deps.put(e.getKey(), to);
        }
        return new Graph(in, packages, purls, sources, deps);
    }

    /** Distinct source packages, sorted. */
    SortedSet<SourcePackage> sourcePackages() {
        return new TreeSet<>(sources.values());
    }

    List<SbomPackage> packageList() {
        return List.copyOf(packages.values());
    }

    private static SbomException unknown(SbomInput in, String key, String from) {
        return new SbomException("dependency graph of image " + in.image().name() + " names package '" + key + "'"
                + (from == null ? "" : " (a dependency of " + from + ")")
                + " that is not in its package list; keys are NAME:ARCH, e.g. "
                + (in.packages().isEmpty() ? "libc6:amd64" : in.packages().getFirst().key()));
    }
}
