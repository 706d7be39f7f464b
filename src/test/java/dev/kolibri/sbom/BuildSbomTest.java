package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.cli.Main;
import dev.kolibri.describe.ImageSbom;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.inspect.Inspection;
import dev.kolibri.inspect.Inspector;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole build from a fixture repository (dpkg-deb, apt-ftparchive, gpg, served on loopback): the SBOMs beside
 * and inside the layout, the provenance, and {@code kolibri sbom} on the result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuildSbomTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEP5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            + "Upstream-Name: %s\n\nFiles: *\nCopyright: 2024 Kolibri Tests\nLicense: %s\n";

    Path dir;
    Path specFile;
    Lockfile lock;
    BuildResult first;
    BuildResult second;
    Path out1;
    Path out2;

    @BeforeAll
    void build(@TempDir Path tmp) throws Exception {
        dir = tmp;
        // CycloneDX's schema checks contact e-mails against the IANA TLD list, which has no .invalid: use example.org.
        List<DebBuilder> debs = Stream.of(
                DebBuilder.deb("base-files", "12.4+deb12u1", "amd64")
                        .file("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
                        .file("usr/share/doc/base-files/copyright", DEP5.formatted("base-files", "GPL-2+")),
                DebBuilder.deb("libfoo1", "1.0-1", "amd64").field("Source", "foo").field("Depends", "base-files")
                        .file("usr/lib/x86_64-linux-gnu/libfoo.so.1", "foo")
                        .file("usr/share/doc/libfoo1/copyright", DEP5.formatted("foo", "Expat")),
                DebBuilder.deb("libfoo-extra", "1.0-1+b1", "amd64").field("Source", "foo (1.0-1)")
                        .field("Depends", "libfoo1 (= 1.0-1)")
                        .file("usr/lib/x86_64-linux-gnu/libfoo-extra.so.1", "extra")
                        .symlink("usr/share/doc/libfoo-extra", "libfoo1"),
                DebBuilder.deb("provider", "2.0", "all").field("Provides", "virtual-x")
                        .file("usr/share/provider/data", "x"),
                DebBuilder.deb("app", "3.0", "amd64")
                        .field("Pre-Depends", "base-files")
                        .field("Depends", "libmissing | libfoo1 (>= 1.0), virtual-x")
                        .field("Recommends", "not-there")
                        .file("usr/bin/app", "#!/usr/bin/env app\n"))
                .map(d -> d.field("Maintainer", "Kolibri Tests <tests@example.org>")).toList();
        SignedFixtureRepo repo = SignedFixtureRepo.build(dir, "stable", debs);
        Path apt = Files.createDirectories(dir.resolve("apt"));
        try (StaticHttpServer http = StaticHttpServer.serve(repo.root)) {
            specFile = dir.resolve("fixture.yaml");
            Files.writeString(specFile, """
                    name: fixture
                    version: "1.0"
                    repositories:
                      - type: deb
                        url: %s
                        suite: stable
                        components: [main]
                        keyring: keyring.gpg
                    packages: [app, libfoo-extra]
                    archs: [amd64]
                    """.formatted(http.base()));
            Kolibri k = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(apt));
            ImageSpec spec = Kolibri.load(specFile, null);
            lock = k.lock(spec);
            out1 = dir.resolve("a/out/fixture");
            out2 = dir.resolve("b/out/fixture");
            first = k.build(spec, new BuildOptions(out1, List.of(), null, true, false, Compression.GZIP, null));
            second = k.build(spec, new BuildOptions(out2, List.of(), null, true, true, Compression.GZIP, null));
        }
    }

    @AfterAll
    void noTemporaryDirectoriesLeft() throws Exception {
        try (var s = Files.list(out1.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("fixture");
        }
    }

    private Path sidecar(Path out, String file) {
        return out.resolve("sbom/1.0").resolve(file);
    }

    private byte[] read(Path out, String file) throws Exception {
        return Files.readAllBytes(sidecar(out, file));
    }

    @Test
    void sidecar_holdsBothDocumentsAndProvenance() throws Exception {
        try (var s = Files.list(sidecar(out1, "."))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("amd64.spdx.json", "amd64.cdx.json", "provenance.intoto.json");
        }
    }

    @Test
    void spdx_validatesAgainstTheOfficialSchemaAndTheSpdxLibrary(@TempDir Path tmp) throws Exception {
        byte[] spdx = read(out1, "amd64.spdx.json");
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(Validators.spdxModelErrors(spdx, tmp)).isEmpty();
    }

    @Test
    void cycloneDx_validatesAgainstTheOfficialSchema() throws Exception {
        assertThat(Validators.cycloneDxErrors(read(out1, "amd64.cdx.json"))).isEmpty();
    }

    private Set<String> lockedPackages() {
        return lock.packagesFor("amd64").stream().map(p -> p.name() + " " + p.version() + " " + p.arch())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> spdxPackages(byte[] spdx) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode p : MAPPER.readTree(spdx).get("packages")) {
            String purpose = p.path("primaryPackagePurpose").asText();
            if (purpose.equals("CONTAINER") || purpose.equals("SOURCE")) continue;
            String purl = purl(p);
            var parsed = new com.github.packageurl.PackageURL(purl);
            out.add(p.get("name").asText() + " " + p.get("versionInfo").asText() + " " + parsed.getQualifiers().get("arch"));
        }
        return out;
    }

    private static String purl(JsonNode spdxPackage) {
        for (JsonNode r : spdxPackage.get("externalRefs")) {
            if (r.get("referenceType").asText().equals("purl")) return r.get("referenceLocator").asText();
        }
        throw new AssertionError("no purl in " + spdxPackage);
    }

    private static Set<String> cdxPackages(byte[] cdx) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode c : MAPPER.readTree(cdx).get("components")) {
            if (!c.get("type").asText().equals("library")) continue;
            String arch = null;
            for (JsonNode prop : c.get("properties")) if (prop.get("name").asText().equals("kolibri:arch")) arch = prop.get("value").asText();
            out.add(c.get("name").asText() + " " + c.get("version").asText() + " " + arch);
        }
        return out;
    }

    @Test
    void packageSets_equalTheLock() throws Exception {
        assertThat(lockedPackages()).hasSize(5);
        assertThat(spdxPackages(read(out1, "amd64.spdx.json"))).isEqualTo(lockedPackages());
        assertThat(cdxPackages(read(out1, "amd64.cdx.json"))).isEqualTo(lockedPackages());
    }

    @Test
    void spdx_carriesLockDigestsLicencesSourcesAndDependencies() throws Exception {
        JsonNode doc = MAPPER.readTree(read(out1, "amd64.spdx.json"));
        Map<String, JsonNode> byName = new TreeMap<>();
        Map<String, String> nameById = new TreeMap<>();
        for (JsonNode p : doc.get("packages")) {
            if (p.path("primaryPackagePurpose").asText().equals("SOURCE")) continue;
            byName.put(p.get("name").asText(), p);
            nameById.put(p.get("SPDXID").asText(), p.get("name").asText());
        }
        for (LockedPackage lp : lock.packagesFor("amd64")) {
            JsonNode p = byName.get(lp.name());
            assertThat(p.get("checksums").get(0).get("checksumValue").asText()).isEqualTo(lp.sha256());
        }
        assertThat(byName.get("base-files").get("licenseDeclared").asText()).isEqualTo("GPL-2.0-or-later");
        assertThat(byName.get("libfoo1").get("licenseDeclared").asText()).isEqualTo("MIT");
        assertThat(byName.get("libfoo-extra").get("licenseDeclared").asText()).isEqualTo("MIT"); // doc dir symlink
        assertThat(byName.get("app").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(purl(byName.get("libfoo-extra"))).contains("upstream=foo%401.0-1").contains("distro=debian-12");

        Map<String, Set<String>> deps = new TreeMap<>();
        for (JsonNode r : doc.get("relationships")) {
            if (!r.get("relationshipType").asText().equals("DEPENDS_ON")) continue;
            deps.computeIfAbsent(nameById.get(r.get("spdxElementId").asText()), x -> new TreeSet<>())
                    .add(nameById.get(r.get("relatedSpdxElement").asText()));
        }
        assertThat(deps).containsEntry("app", Set.of("base-files", "libfoo1", "provider"))
                .containsEntry("libfoo-extra", Set.of("libfoo1"))
                .containsEntry("libfoo1", Set.of("base-files"))
                .doesNotContainKeys("provider", "base-files");
    }

    @Test
    void twoBuilds_giveIdenticalSbomAndProvenanceBytes() throws Exception {
        for (String f : List.of("amd64.spdx.json", "amd64.cdx.json")) {
            assertThat(read(out2, f)).as(f).isEqualTo(read(out1, f));
        }
        assertThat(first.index()).isEqualTo(second.index());
        // The definition path is the same file, so the statements are equal too.
        assertThat(read(out2, "provenance.intoto.json")).isEqualTo(read(out1, "provenance.intoto.json"));
        assertThat(Files.readAllBytes(out2.resolve("index.json"))).isEqualTo(Files.readAllBytes(out1.resolve("index.json")));
    }

    @Test
    void layout_attachesEachDocumentAsAnArtifactWhoseSubjectIsThePlatformManifest() throws Exception {
        OciLayout layout = LayoutReader.open(out1);
        Digest platformManifest = first.images().get(0).manifest();
        List<Descriptor> entries = layout.index().manifests();
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0).annotations()).containsEntry(ImageIndex.REF_NAME, "1.0");
        assertThat(entries.get(1).annotations()).containsEntry(ImageIndex.REF_NAME, "1.0-amd64");
        assertThat(entries.get(1).digest()).isEqualTo(platformManifest);
        entries = entries.subList(1, 4);
        Map<String, String> files = Map.of(MediaTypes.SPDX_JSON, "amd64.spdx.json", MediaTypes.CYCLONEDX_JSON, "amd64.cdx.json");
        Map<String, String> suffix = Map.of(MediaTypes.SPDX_JSON, ".spdx", MediaTypes.CYCLONEDX_JSON, ".cdx");
        List<String> types = new ArrayList<>();
        for (Descriptor d : entries.subList(1, 3)) {
            Manifest m = layout.manifest(d);
            String type = d.artifactType();
            types.add(type);
            assertThat(m.artifactType()).isEqualTo(type);
            assertThat(d.annotations()).containsEntry(ImageIndex.REF_NAME, platformManifest.dashed() + suffix.get(type));
            assertThat(m.subject().digest()).isEqualTo(platformManifest);
            assertThat(m.subject().mediaType()).isEqualTo(MediaTypes.IMAGE_MANIFEST);
            assertThat(m.subject().size()).isEqualTo(Files.size(layout.path(platformManifest)));
            assertThat(m.config().mediaType()).isEqualTo(MediaTypes.EMPTY_JSON);
            assertThat(m.config().size()).isEqualTo(2);
            assertThat(m.config().digest()).isEqualTo(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(layout.document(m.config())).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
            assertThat(m.layers()).hasSize(1);
            assertThat(m.layers().get(0).mediaType()).isEqualTo(type);
            assertThat(layout.document(m.layers().get(0))).isEqualTo(read(out1, files.get(type)));
        }
        assertThat(types).containsExactly(MediaTypes.SPDX_JSON, MediaTypes.CYCLONEDX_JSON);
        // The document names the manifest it is attached to.
        assertThat(MAPPER.readTree(read(out1, "amd64.spdx.json")).get("packages").get(0).get("versionInfo").asText())
                .isEqualTo(platformManifest.toString());
    }

    @Test
    void skopeo_stillReadsTheImageAndTheArtifacts() throws Exception {
        Tools.require("skopeo");
        Tools.Result image = Tools.ok(null, "skopeo", "inspect", "oci:" + out1 + ":1.0");
        assertThat(MAPPER.readTree(image.out()).get("Digest").asText()).isEqualTo(first.index().toString());
        String tag = first.images().get(0).manifest().dashed() + ".spdx";
        Tools.Result raw = Tools.ok(null, "skopeo", "inspect", "--raw", "oci:" + out1 + ":" + tag);
        JsonNode m = MAPPER.readTree(raw.out());
        assertThat(m.get("artifactType").asText()).isEqualTo(MediaTypes.SPDX_JSON);
        assertThat(m.get("subject").get("digest").asText()).isEqualTo(first.images().get(0).manifest().toString());
        Tools.ok(null, "skopeo", "copy", "--all", "oci:" + out1 + ":1.0", "oci:" + dir.resolve("copy") + ":1.0");
    }

    @Test
    void provenance_recordsDefinitionLockVariantArchsAndEveryPackageFile() throws Exception {
        JsonNode st = MAPPER.readTree(read(out1, "provenance.intoto.json"));
        assertThat(st.get("subject").get(0).get("name").asText()).isEqualTo("fixture");
        assertThat(st.get("subject").get(0).get("digest").get("sha256").asText()).isEqualTo(first.index().hex());
        JsonNode def = st.get("predicate").get("buildDefinition");
        assertThat(def.get("externalParameters").get("definition").get("path").asText()).isEqualTo(specFile.toString());
        assertThat(def.get("externalParameters").get("definition").get("digest").get("sha256").asText())
                .isEqualTo(Digest.sha256(Files.readAllBytes(specFile)).hex());
        assertThat(def.get("externalParameters").get("archs").toString()).isEqualTo("[\"amd64\"]");
        assertThat(def.get("externalParameters").has("variant")).isFalse();
        assertThat(def.get("internalParameters").get("lockDigest").get("sha256").asText())
                .isEqualTo(Digest.sha256(Files.readAllBytes(Lockfile.pathFor(Kolibri.load(specFile, null)))).hex());
        Set<String> materials = new TreeSet<>();
        for (JsonNode r : def.get("resolvedDependencies")) materials.add(r.get("uri").asText() + " " + r.get("digest").get("sha256").asText());
        assertThat(materials).isEqualTo(lock.packagesFor("amd64").stream().map(p -> java.net.URI.create(
                        lock.repositoryOf(p).url().replaceAll("/?$", "/")).resolve(p.path()) + " " + p.sha256())
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void sbomCommand_onTheBuiltImage_listsTheBuildSbomsPackages() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"sbom", out1.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        byte[] spdx = out.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(spdxPackages(spdx)).isEqualTo(spdxPackages(read(out1, "amd64.spdx.json")));
        Set<String> fromImage = new TreeSet<>();
        Set<String> fromBuild = new TreeSet<>();
        for (JsonNode p : MAPPER.readTree(spdx).get("packages")) fromImage.add(purl(p) + " " + p.get("licenseDeclared").asText());
        for (JsonNode p : MAPPER.readTree(read(out1, "amd64.spdx.json")).get("packages")) fromBuild.add(purl(p) + " " + p.get("licenseDeclared").asText());
        assertThat(fromImage).isEqualTo(fromBuild);

        Path cdxFile = dir.resolve("image.cdx.json");
        rc = Main.run(new String[] {"sbom", out1 + ":1.0", "--format", "cyclonedx", "--platform", "linux/amd64", "-o", cdxFile.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        assertThat(Validators.cycloneDxErrors(Files.readAllBytes(cdxFile))).isEmpty();
        assertThat(cdxPackages(Files.readAllBytes(cdxFile))).isEqualTo(lockedPackages());
    }

    @Test
    void sbomCommand_refusesAPlatformTheImageDoesNotHave() throws Exception {
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"sbom", out1.toString(), "--platform", "linux/arm64"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("no image for linux/arm64").contains("linux/amd64");
    }

    @Test
    void sbomCommand_refusesARegistryReferenceClearly() {
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"sbom", "registry.invalid:5000/org/app:1"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: ").contains("registry reference").contains("not supported yet");
    }

    @Test
    void inspect_withoutTag_stillFindsTheImageBesideTheArtifacts() throws Exception {
        Inspection r = Inspector.inspect(new ImageRef(out1, null));
        assertThat(r.tag()).isEqualTo("1.0");
        assertThat(r.platforms()).hasSize(1);
        assertThat(r.platforms().get(0).packages()).extracting(Inspection.InstalledPackage::name)
                .containsExactly("app", "base-files", "libfoo-extra", "libfoo1", "provider");
        assertThat(ImageSbom.read(new ImageRef(out1, null), null, "dev").packages()).hasSize(5);
    }
}
