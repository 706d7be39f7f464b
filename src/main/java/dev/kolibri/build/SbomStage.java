package dev.kolibri.build;

import dev.kolibri.describe.PackageFile;
import dev.kolibri.describe.SbomInputs;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.inspect.PackageDbReader;
import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.LayoutWriter;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.Platform;
import dev.kolibri.sbom.CycloneDxWriter;
import dev.kolibri.sbom.ImageSubject;
import dev.kolibri.sbom.Provenance;
import dev.kolibri.sbom.ProvenanceInput;
import dev.kolibri.sbom.SbomInput;
import dev.kolibri.sbom.SbomPackage;
import dev.kolibri.sbom.SpdxWriter;
import dev.kolibri.spec.ImageSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The SBOM stage of a build. Per platform image, after its manifest is written: an SPDX 2.3 and a CycloneDX 1.6
 * document, each attached inside the layout as an OCI 1.1 artifact manifest whose {@code subject} is the platform
 * manifest, listed in {@code index.json} with {@code artifactType} and the tag {@code sha256-<manifest hex>.spdx}
 * (resp. {@code .cdx}). As plain files inside the layout, in {@code <layout>/sbom/<tag>/}: {@code <arch>.spdx.json},
 * {@code <arch>.cdx.json} and {@code provenance.intoto.json}, written into the layout's staging directory so that
 * they appear with the layout in its one rename, or not at all (see docs/parts/sbom-build.md).
 */
final class SbomStage {
    /** The directory of the layout that holds the documents as files, one subdirectory per tag. */
    static final String SBOM_DIR = "sbom";
    static final String PROVENANCE_FILE = "provenance.intoto.json";

    /** The file name stem of one platform's documents: {@code amd64}, {@code arm-v7} (the one place it is made). */
    static String fileBase(Platform platform) {
        return platform.architecture() + (platform.variant() == null ? "" : "-" + platform.variant());
    }
    static final String TITLE = "org.opencontainers.image.title";
    static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    private record Kind(String artifactType, String tagSuffix, String fileSuffix) {}

    private static final List<Kind> KINDS = List.of(
            new Kind(MediaTypes.SPDX_JSON, ".spdx", ".spdx.json"),
            new Kind(MediaTypes.CYCLONEDX_JSON, ".cdx", ".cdx.json"));

    private final String name;
    private final String tag;
    private final String toolVersion;
    private final List<Descriptor> entries = new ArrayList<>();
    private final Map<String, byte[]> files = new TreeMap<>();
    private long epoch;
    private String ecosystem = "deb";

    SbomStage(String name, String tag, String toolVersion) {
        this.name = name;
        this.tag = tag;
        this.toolVersion = toolVersion;
    }

    /** Kolibri's version as the jar's manifest gives it, else {@code dev}. */
    static String toolVersion() {
        String v = SbomStage.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where the documents of the image {@code tag} of the layout {@code layout} go: {@code <layout>/sbom/<tag>}. */
    static Path dirFor(Path layout, String tag) {
        return layout.resolve(SBOM_DIR).resolve(tag);
    }

    /**
     * What the documents of one platform say, read from its finalized tree before its layers are written (so that
     * this can run while they are): everything but the image's own digests.
     */
    record Described(String ecosystem, long epoch, SbomInput input) {}

    /**
     * Reads the packages, licenses, dependencies and OS of one platform's finalized tree. Only reads {@code tree}.
     *
     * @param tree   the image's final root file system (with the package database)
     * @param reader reads that database ({@code deb}: dpkg, {@code rpm}: the rpmdb)
     * @param lock   the lock ({@code locked}'s repositories)
     * @param locked the packages the lock installed for this arch
     */
    Described describe(Platform platform, FileTree tree, PackageDbReader reader, Lockfile lock, List<LockedPackage> locked,
                       long imageEpoch) throws BuildException {
        ImagePackages read = ImagePackages.read(tree, List.of(reader));
        List<PackageRecord> records = read.packages();
        Map<String, PackageFile> byKey = new TreeMap<>();
        for (LockedPackage p : locked) {
            byKey.put(p.name() + ":" + p.arch(), new PackageFile(p.sha256(), PackageSources.recordedUrl(lock.repositoryOf(p), p)));
        }
        TreeSet<String> inDb = new TreeSet<>(records.stream().map(PackageRecord::key).toList());
        if (!inDb.equals(byKey.keySet())) {
            TreeSet<String> missing = new TreeSet<>(byKey.keySet());
            missing.removeAll(inDb);
            TreeSet<String> extra = new TreeSet<>(inDb);
            extra.removeAll(byKey.keySet());
            throw new BuildException(platform + ": the image's " + reader.ecosystem() + " package database and the lock disagree (only in the lock: "
                    + missing + ", only in the database: " + extra + "); this is a bug, please report it");
        }
        // the image's digests are not known yet: a stand-in subject, replaced in attach
        ImageSubject provisional = new ImageSubject(name, tag, dev.kolibri.oci.Digest.sha256(new byte[0]), platform, List.of());
        return new Described(reader.ecosystem(), imageEpoch,
                SbomInputs.of(provisional, tree, read, byKey, imageEpoch, toolVersion)
                        .withFiles(SbomInputs.contentFiles(tree)));
    }

    /** Attaches the documents of one platform image (its manifest already in {@code out}), described before. */
    void attach(LayoutWriter out, Platform platform, Descriptor manifest, List<Descriptor> layers, Described described)
            throws IOException {
        ecosystem = described.ecosystem();
        ImageSubject subject = new ImageSubject(name, tag, manifest.digest(), platform,
                layers.stream().map(Descriptor::digest).toList());
        SbomInput read = described.input();
        SbomInput in = read.withImage(subject);
        epoch = Math.max(epoch, described.epoch());

        Descriptor empty = out.addBlob(MediaTypes.EMPTY_JSON, EMPTY_JSON);
        Descriptor subjectDesc = new Descriptor(MediaTypes.IMAGE_MANIFEST, manifest.digest(), manifest.size(), Map.of(),
                null, null);
        String fileBase = fileBase(platform);
        for (Kind k : KINDS) {
            byte[] doc = k.artifactType().equals(MediaTypes.SPDX_JSON) ? SpdxWriter.write(in) : CycloneDxWriter.write(in);
            String file = fileBase + k.fileSuffix();
            files.put(file, doc);
            Descriptor layer = out.addBlob(k.artifactType(), doc).withAnnotations(Map.of(TITLE, file));
            Manifest artifact = new Manifest(empty, List.of(layer), Map.of(), subjectDesc, k.artifactType());
            Descriptor d = out.addBlob(MediaTypes.IMAGE_MANIFEST, artifact.toJson());
            entries.add(d.withArtifactType(k.artifactType())
                    .withAnnotations(Map.of(ImageIndex.REF_NAME, manifest.digest().dashed() + k.tagSuffix())));
        }
    }

    /** The {@code index.json} entries of the attached artifacts, in build order. */
    List<Descriptor> indexEntries() {
        return List.copyOf(entries);
    }

    /**
     * Writes the documents and the provenance statement of the whole build (subject: the image index) into
     * {@code sbom/<tag>/} of the layout being written (replacing that directory of an existing layout).
     */
    void stage(LayoutWriter out, ImageSpec spec, Lockfile lock, Digest index, List<String> archs) throws IOException {
        Path staged = out.ownDirectory(SBOM_DIR + "/" + tag);
        for (var e : files.entrySet()) Files.write(staged.resolve(e.getKey()), e.getValue());
        Files.write(staged.resolve(PROVENANCE_FILE), Provenance.write(provenance(spec, lock, index, archs)));
    }

    private ProvenanceInput provenance(ImageSpec spec, Lockfile lock, Digest index, List<String> archs) throws IOException {
        String defPath;
        String defSha;
        if (spec.source() != null) {
            defPath = spec.source().toString();
            defSha = Digest.sha256(Files.readAllBytes(spec.source())).hex();
        } else {
            defPath = spec.name();
            defSha = Digest.sha256(spec.canonicalJson().getBytes(StandardCharsets.UTF_8)).hex();
        }
        List<SbomPackage> packages = new ArrayList<>();
        for (String arch : archs) {
            for (LockedPackage p : lock.packagesFor(arch)) {
                packages.add(new SbomPackage(ecosystem, p.name(), p.version(), p.arch(), p.source(), p.sourceVersion(), null,
                        null, p.sha256(), PackageSources.recordedUrl(lock.repositoryOf(p), p), null));
            }
        }
        return new ProvenanceInput(new ImageSubject(name, tag, index, null, List.of()), defPath, defSha, spec.variant(),
                archs, Digest.sha256(lock.toJson()).hex(), epoch, packages, toolVersion);
    }
}
